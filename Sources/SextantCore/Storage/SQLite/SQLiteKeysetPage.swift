import GRDB

/// The Data API's list order and cursors over any table with `created_at` and `id`: newest first,
/// then `id` descending; one row fetched beyond the page says whether another page follows.
enum SQLiteKeysetPage {
    static func fetch<Item>(
        _ db: Database, select: String, table: String, conditions: [String], arguments: StatementArguments, after: PageCursor?, limit: Int,
        item: (Row) -> Item, key: (Item) -> PageCursor
    ) throws -> Page<Item> {
        var conditions = conditions.isEmpty ? ["1"] : conditions
        var arguments = arguments
        if let after {
            conditions.append("(\(table).created_at < ? OR (\(table).created_at = ? AND \(table).id < ?))")
            arguments += [after.createdAt, after.createdAt, after.id]
        }
        let rows = try Row.fetchAll(db, sql: """
            \(select) WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(table).created_at DESC, \(table).id DESC LIMIT ?
            """, arguments: arguments + [limit + 1])
        let items = rows.prefix(limit).map(item)
        return Page(items: Array(items), next: rows.count > limit ? items.last.map(key) : nil)
    }

    /// `column = ?` when the value is set, for the optional filters every list takes.
    static func equal(_ column: String, _ value: (any DatabaseValueConvertible)?, into conditions: inout [String], _ arguments: inout StatementArguments) {
        guard let value else { return }
        conditions.append("\(column) = ?")
        arguments += [value]
    }
}
