import PostgresNIO
import SextantCore

/// The conditions of a list query, their values bound as they are added.
struct PostgresFilter {
    private(set) var statement = PostgresQueryBuilder()
    private var conditions: [String] = []

    /// `column = value` when the value is set, for the optional filters every list takes.
    mutating func equal<Value: PostgresDynamicTypeEncodable>(_ column: String, _ value: Value?) {
        guard let value else { return }
        conditions.append("\(column) = \(statement.bind(value))")
    }

    /// Binds a value for an expression outside the conditions (a selected column) and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        statement.bind(value)
    }

    /// A condition written with the placeholders `bind` hands out.
    mutating func add(_ condition: (_ bind: (any PostgresDynamicTypeEncodable) -> String) -> String) {
        var statement = self.statement
        conditions.append(condition { statement.bind($0) })
        self.statement = statement
    }

    /// The statement `select WHERE conditions`, for the caller to finish.
    func query(_ select: String) -> PostgresQueryBuilder {
        var statement = statement
        statement.append("\(select) WHERE \(conditions.isEmpty ? "true" : conditions.joined(separator: " AND "))")
        return statement
    }
}

/// The Data API's list order and cursors over any table with `created_at` and `id`: newest first,
/// then `id` descending; one row fetched beyond the page says whether another page follows.
enum PostgresKeysetPage {
    static func fetch<Item>(
        _ database: PostgresBackend, select: String, table: String, filter: PostgresFilter, after: PageCursor?, limit: Int,
        item: (PostgresRow) throws -> Item, key: (Item) -> PageCursor
    ) async throws -> Page<Item> {
        var filter = filter
        if let after {
            filter.add { bind in
                let createdAt = bind(after.createdAt)
                return "(\(table).created_at < \(createdAt) OR (\(table).created_at = \(createdAt) AND \(table).id < \(bind(after.id))))"
            }
        }
        var statement = filter.query(select)
        statement.append(" ORDER BY \(table).created_at DESC, \(table).id DESC LIMIT \(statement.bind(limit + 1))")
        let rows = try await database.rows(statement.query)
        let items = try rows.prefix(limit).map(item)
        return Page(items: Array(items), next: rows.count > limit ? items.last.map(key) : nil)
    }
}

extension PostgresFilter {
    /// A filter of one optional equality.
    static func equal<Value: PostgresDynamicTypeEncodable>(_ column: String, _ value: Value?) -> PostgresFilter {
        var filter = PostgresFilter()
        filter.equal(column, value)
        return filter
    }
}

extension PostgresFilter {
    /// The project and time bounds every read takes; `column` holds the row's time.
    mutating func time(_ filter: TimeFilter, column: String) {
        equal("p.slug", filter.projectSlug)
        if let from = filter.from { add { "\(column) >= \($0(from))" } }
        if let to = filter.to { add { "\(column) <= \($0(to))" } }
    }
}
