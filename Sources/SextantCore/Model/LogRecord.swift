import Foundation

/// Log levels; LuminaLog's `panic` is stored as `fatal`, SeeStack's `warning` as `warn`.
public enum LogLevel: String, Sendable, CaseIterable {
    case debug, info, warn, error, fatal

    public init?(wire: String) {
        switch wire.lowercased() {
        case "panic": self = .fatal
        case "warning": self = .warn
        default: self.init(rawValue: wire.lowercased())
        }
    }
}

/// One log line from any source, ready to store.
public struct LogRecord: Sendable, Equatable {
    public var ts: Int64
    public var level: LogLevel
    public var message: String
    public var environment: String?
    public var service: String?
    /// Raw JSON object texts.
    public var metadataJSON: String?
    public var errorJSON: String?
    /// What full-text search sees of the error: type, message and stack.
    public var errorText: String?
    /// The error object's parts, read once by the decoder so grouping needs no second parse.
    public var loggedError: LoggedError?
    /// A client-chosen grouping key (LuminaLog's `error.fingerprint`).
    public var fingerprint: String?
    public var traceID: String?
    public var spanID: String?
    public var parentSpanID: String?
    /// LuminaLog's optional `project_id`: the sender's own identifier, kept as sent.
    public var clientProjectID: String?
    public var requestID: String?
    public var userID: String?
    /// `luminalog` or `seestack`.
    public var source: String
    /// The UUID SeeStack answers with, when the log came from SeeStack.
    public var uid: String?

    public init(ts: Int64, level: LogLevel, message: String, source: String) {
        self.ts = ts
        self.level = level
        self.message = message
        self.source = source
    }
}

/// What grouping needs of a log's `error` object.
public struct LoggedError: Sendable, Equatable {
    public var type: String?
    public var message: String?
    public var stack: [String]

    public init(type: String?, message: String?, stack: [String]) {
        self.type = type
        self.message = message
        self.stack = stack
    }

    public init(_ object: [String: JSONValue]) {
        self.init(
            type: object["type"]?.stringValue, message: object["message"]?.stringValue,
            stack: ErrorOccurrences.stackLines(object["stack_trace"] ?? object["stack"]))
    }
}

public struct LogBatch: Sendable {
    public var projectID: Int64
    public var receivedAt: Int64
    public var records: [LogRecord]

    public init(projectID: Int64, receivedAt: Int64, records: [LogRecord]) {
        self.projectID = projectID
        self.receivedAt = receivedAt
        self.records = records
    }
}

public struct StoredLog: Sendable, Equatable {
    public var id: Int64
    public var projectSlug: String
    public var record: LogRecord

    package init(id: Int64, projectSlug: String, record: LogRecord) {
        self.id = id
        self.projectSlug = projectSlug
        self.record = record
    }
}

public struct LogFilter: Sendable, Equatable {
    public var time = TimeFilter()
    public var level: LogLevel?
    public var environment: String?
    public var userID: String?
    public var traceID: String?
    /// Plain words, all of which must match message or error.
    public var words: [String] = []
    public var limit = 100

    public init() {}

    /// Splits a query into words on every character that is not a letter or a digit.
    public static func words(of query: String) -> [String] {
        query.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}

/// Words as a log search index keeps them: runs of letters and digits with case and diacritics
/// folded, as SQLite's `unicode61` tokenizer does, so a backend without that tokenizer (PostgreSQL)
/// indexes and matches the same words.
package enum LogSearchWords {
    /// A word longer than this is kept as its first bytes (cut between characters), in the index
    /// and in queries alike: PostgreSQL's `tsvector` refuses a longer lexeme, and a log holding a
    /// long hex dump or token must still be stored and found.
    package static let maximumWordBytes = 2_046

    package static func of(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(in: text) { words.append(String(decoding: $0, as: UTF8.self)) }
        return words
    }

    /// Calls `body` with each folded word's UTF-8 bytes, valid only during the call.
    ///
    /// Log text is mostly ASCII, where a letter or digit is one byte and folding is lowercasing, so
    /// those runs are split byte by byte; a run holding any other byte (bounded by ASCII separators,
    /// which no Unicode letter or combining mark spans) goes through Foundation's folding and
    /// `Character`'s properties, the same rules as a whole-string pass, at a fraction of the cost.
    package static func forEachWord(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(utf8.count, 1)) { scratch in
                var index = 0
                while index < utf8.count {
                    guard !isASCIISeparator(utf8[index]) else { index += 1; continue }
                    let start = index
                    var ascii = true
                    while index < utf8.count, !isASCIISeparator(utf8[index]) {
                        let byte = utf8[index]
                        if byte >= 0x80 { ascii = false }
                        scratch[index - start] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                        index += 1
                    }
                    if ascii {
                        body(UnsafeBufferPointer(rebasing: scratch[0..<min(index - start, maximumWordBytes)]))
                    } else {
                        foldSlowly(String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<index]), as: UTF8.self), body)
                    }
                }
            }
        }
    }

    private static func isASCIISeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): false
        case 0x80...: false
        default: true
        }
    }

    private static func foldSlowly(_ run: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        for word in LogFilter.words(of: run.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)) {
            var word = word
            word.withUTF8 { utf8 in
                var end = min(utf8.count, maximumWordBytes)
                // Back off continuation bytes so the cut falls between characters.
                while end < utf8.count, end > 0, utf8[end] & 0xC0 == 0x80 { end -= 1 }
                body(UnsafeBufferPointer(rebasing: utf8[0..<end]))
            }
        }
    }
}
