import PostgresNIO
import SextantCore

/// The Data API's list order and cursors over any table with `created_at` and `id`: newest first,
/// then `id` descending; one row fetched beyond the page says whether another page follows.
enum PostgresKeysetPage {
    static func fetch<Item>(
        _ database: PostgresBackend, select: String, table: String, filters: [(column: String, value: String?)], after: PageCursor?, limit: Int,
        item: (PostgresRow) throws -> Item, key: (Item) -> PageCursor
    ) async throws -> Page<Item> {
        var statement = PostgresQueryBuilder(select + " WHERE true")
        for filter in filters where filter.value != nil {
            statement.append(" AND \(filter.column) = \(statement.bind(filter.value))")
        }
        if let after {
            let createdAt = statement.bind(after.createdAt)
            statement.append(" AND (\(table).created_at < \(createdAt) OR (\(table).created_at = \(createdAt) AND \(table).id < \(statement.bind(after.id))))")
        }
        statement.append(" ORDER BY \(table).created_at DESC, \(table).id DESC LIMIT \(statement.bind(limit + 1))")
        let rows = try await database.rows(statement.query)
        let items = try rows.prefix(limit).map(item)
        return Page(items: Array(items), next: rows.count > limit ? items.last.map(key) : nil)
    }
}
