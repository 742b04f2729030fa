import NIOCore
import PostgresNIO

/// Rows in `COPY … FROM STDIN` text format (tab between fields, `\N` for NULL, backslash escapes),
/// the fastest way into PostgreSQL for a batch: no statement to parse, no array to unpack.
struct PostgresCopyRows {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    private var atRowStart = true

    private mutating func separate() {
        if atRowStart { atRowStart = false } else { bytes.append(UInt8(ascii: "\t")) }
    }

    private mutating func appendBare(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
    }

    mutating func add(_ value: Int64?) {
        guard let value else { return appendBare("\\N") }
        appendBare(String(value))
    }

    mutating func add(_ value: Int?) {
        add(value.map(Int64.init))
    }

    mutating func add(_ value: String?) {
        guard let value else { return appendBare("\\N") }
        separate()
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            // PostgreSQL text cannot hold NUL; it reads as the replacement character.
            case 0: bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default: bytes.append(byte)
            }
        }
    }

    /// A `tsvector` of plain words (letters and digits only, so quoting them is all it takes).
    mutating func add(lexemes words: [String]) {
        separate()
        for (index, word) in words.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: " ")) }
            bytes.append(UInt8(ascii: "'"))
            bytes.append(contentsOf: word.utf8)
            bytes.append(UInt8(ascii: "'"))
        }
    }

    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        atRowStart = true
        count += 1
    }
}

extension PostgresTransaction {
    /// Copies `rows` into `columns` of `table` (names written by this module, never from input).
    func copy(_ rows: PostgresCopyRows, into table: String, columns: [String]) async throws {
        guard rows.count > 0 else { return }
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            let slice = 1 << 20
            var start = 0
            while start < rows.bytes.count {
                let end = min(start + slice, rows.bytes.count)
                try await writer.write(ByteBuffer(bytes: rows.bytes[start..<end]))
                start = end
            }
        }
    }
}
