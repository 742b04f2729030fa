import NIOCore
import SextantCore
import PostgresNIO

/// Rows in `COPY … FROM STDIN` text format (tab between fields, `\N` for NULL, backslash escapes),
/// the fastest way into PostgreSQL for a batch: no statement to parse, no array to unpack.
struct PostgresCopyRows {
    /// Below PostgreSQL's 1 MiB bound on a `tsvector`'s lexemes, counted before duplicates merge.
    static let maximumSearchBytes = 1_000_000

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
        guard var value else { return appendBare("\\N") }
        separate()
        value.withUTF8 { utf8 in
            // Runs without a byte to escape are copied whole; most text has none.
            var runStart = 0
            for index in 0..<utf8.count {
                let escaped: (UInt8, UInt8, UInt8)
                switch utf8[index] {
                case UInt8(ascii: "\\"): escaped = (UInt8(ascii: "\\"), UInt8(ascii: "\\"), 0)
                case UInt8(ascii: "\t"): escaped = (UInt8(ascii: "\\"), UInt8(ascii: "t"), 0)
                case UInt8(ascii: "\n"): escaped = (UInt8(ascii: "\\"), UInt8(ascii: "n"), 0)
                case UInt8(ascii: "\r"): escaped = (UInt8(ascii: "\\"), UInt8(ascii: "r"), 0)
                // PostgreSQL text cannot hold NUL; it reads as the replacement character.
                case 0: escaped = (0xEF, 0xBF, 0xBD)
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                bytes.append(escaped.0)
                bytes.append(escaped.1)
                if escaped.2 != 0 { bytes.append(escaped.2) }
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    /// A `tsvector` of the search words of `texts` (LogSearchWords: letters and digits only, so
    /// quoting them is all it takes).
    /// Words past `maximumSearchBytes` are left out: a `tsvector` holds at most 1 MiB of
    /// lexemes, and only an error text of megabytes reaches it.
    mutating func add(searchWordsOf texts: String?...) {
        separate()
        var first = true
        var written = 0
        for text in texts {
            guard let text else { continue }
            LogSearchWords.forEachWord(in: text) { word in
                guard written + word.count <= Self.maximumSearchBytes else { return }
                written += word.count
                if !first { bytes.append(UInt8(ascii: " ")) }
                first = false
                bytes.append(UInt8(ascii: "'"))
                bytes.append(contentsOf: word)
                bytes.append(UInt8(ascii: "'"))
            }
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
