/// One column of a batch as a PostgreSQL array literal (`{1,NULL,"a\"b"}`), bound as text and
/// cast (`$1::bigint[]`), so a whole batch is one `INSERT … SELECT FROM unnest(…)` statement
/// with NULLs where the values are missing.
struct PostgresArrayLiteral {
    private var text = "{"
    private var isEmpty = true

    var literal: String { text + "}" }

    private mutating func separate() {
        if isEmpty { isEmpty = false } else { text += "," }
    }

    mutating func append(_ value: Int64?) {
        separate()
        text += value.map(String.init) ?? "NULL"
    }

    mutating func append(_ value: Int?) {
        append(value.map(Int64.init))
    }

    mutating func append(_ value: Double?) {
        separate()
        text += value.map { $0.description } ?? "NULL"
    }

    mutating func append(_ value: Bool?) {
        separate()
        text += value.map { $0 ? "t" : "f" } ?? "NULL"
    }

    mutating func append(_ value: String?) {
        separate()
        guard let value else {
            text += "NULL"
            return
        }
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            // PostgreSQL text cannot hold NUL; it reads as the replacement character.
            case "\u{0}": text += "\u{FFFD}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}

/// A batch's columns, each an array literal, unpacked side by side by `unnest`.
struct PostgresBulkRows {
    private(set) var columns: [(type: String, values: PostgresArrayLiteral)]

    /// `types` are the PostgreSQL element types of the columns, in order (`bigint`, `text`, …).
    init(types: [String]) {
        columns = types.map { ($0, PostgresArrayLiteral()) }
    }

    subscript(column: Int) -> PostgresArrayLiteral {
        get { columns[column].values }
        set { columns[column].values = newValue }
    }

    /// `unnest($1::bigint[], $2::text[], …)` with the literals bound to `statement`.
    func unnest(binding statement: inout PostgresQueryBuilder) -> String {
        "unnest(" + columns.map { "\(statement.bind($0.values.literal))::\($0.type)[]" }.joined(separator: ", ") + ")"
    }
}
