/// One column of a batch as a PostgreSQL array literal (`{1,NULL,"a\"b"}`), bound as text and
/// cast (`$1::bigint[]`), so a whole batch is one `INSERT … SELECT FROM unnest(…)` statement
/// with NULLs where the values are missing.
struct PostgresArrayLiteral {
    /// UTF-8 bytes: escaping works on bytes, as `"`, `\` and NUL never occur inside a multi-byte character.
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var isEmpty = true

    var literal: String { String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self) }

    private mutating func separate() {
        if isEmpty { isEmpty = false } else { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendBare(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(_ value: Int64?) {
        appendBare(value.map(String.init) ?? "NULL")
    }

    mutating func append(_ value: Int?) {
        append(value.map(Int64.init))
    }

    mutating func append(_ value: Double?) {
        appendBare(value.map { $0.description } ?? "NULL")
    }

    mutating func append(_ value: Bool?) {
        appendBare(value.map { $0 ? "t" : "f" } ?? "NULL")
    }

    mutating func append(_ value: String?) {
        guard let value else { return appendBare("NULL") }
        separate()
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            // PostgreSQL text cannot hold NUL; it reads as the replacement character.
            case 0: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// A batch's columns, each an array literal, unpacked side by side by `unnest`.
struct PostgresBulkRows {
    private(set) var columns: [(type: String, values: PostgresArrayLiteral)]

    /// `types` are the PostgreSQL element types of the columns, in order (`bigint`, `text`, …).
    init(types: [String]) {
        columns = types.map { ($0, PostgresArrayLiteral()) }
    }

    /// In place: a get-and-set would copy the column's bytes at every append.
    subscript(column: Int) -> PostgresArrayLiteral {
        get { columns[column].values }
        _modify { yield &columns[column].values }
    }

    /// `unnest($1::bigint[], $2::text[], …)` with the literals bound to `statement`.
    func unnest(binding statement: inout PostgresQueryBuilder) -> String {
        "unnest(" + columns.map { "\(statement.bind($0.values.literal))::\($0.type)[]" }.joined(separator: ", ") + ")"
    }
}
