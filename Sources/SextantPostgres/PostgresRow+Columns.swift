import PostgresNIO

extension PostgresRow {
    /// The named column, decoded; throws when it is missing or of another type.
    func column<Value: PostgresDecodable>(_ name: String, as type: Value.Type = Value.self) throws -> Value {
        try makeRandomAccess()[name].decode(Value.self)
    }
}

/// A statement assembled from pieces (optional filters, keyset bounds), its values bound as
/// `$1, $2, …` in the order they are appended.
struct PostgresQueryBuilder {
    private(set) var sql: String
    private var binds = PostgresBindings()

    init(_ sql: String = "") {
        self.sql = sql
    }

    mutating func append(_ text: String) {
        sql += text
    }

    /// Binds `value` and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
