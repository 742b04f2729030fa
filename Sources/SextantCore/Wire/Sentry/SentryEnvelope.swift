/// A Sentry envelope (develop.sentry.dev/sdk/data-model/envelopes): a JSON header line, then
/// items, each a JSON header line and a payload of `length` bytes or, without a length, up to
/// the next newline.
public struct SentryEnvelope: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var type: String
        public var header: JSONValue
        public var payload: [UInt8]

        /// The payload as JSON, for the item types that carry JSON.
        public func json() throws -> JSONValue {
            do {
                return try JSONValue.parse(payload)
            } catch {
                throw SentryEnvelopeError("the \(type) item's payload is not JSON")
            }
        }
    }

    public var header: JSONValue
    public var items: [Item]

    /// Envelopes with more items are refused: no SDK sends more than a few.
    public static let maximumItems = 100

    public static func parse(_ bytes: [UInt8]) throws -> SentryEnvelope {
        var cursor = 0
        func line() -> ArraySlice<UInt8>? {
            guard cursor < bytes.count else { return nil }
            let end = bytes[cursor...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { cursor = end + 1 }
            return bytes[cursor..<end]
        }
        guard let first = line(), let header = try? JSONValue.parse(first), header.objectValue != nil else {
            throw SentryEnvelopeError("the envelope header is not a JSON object")
        }
        var items: [Item] = []
        while let headerLine = line() {
            // Blank lines between items (and a trailing newline) carry nothing.
            if headerLine.allSatisfy({ $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: " ") }) { continue }
            guard items.count < maximumItems else { throw SentryEnvelopeError("more than \(maximumItems) items") }
            guard let itemHeader = try? JSONValue.parse(headerLine), itemHeader.objectValue != nil else {
                throw SentryEnvelopeError("item \(items.count + 1)'s header is not a JSON object")
            }
            guard let type = itemHeader["type"]?.stringValue, !type.isEmpty else {
                throw SentryEnvelopeError("item \(items.count + 1) has no type")
            }
            let payload: [UInt8]
            if let length = itemHeader["length"] {
                guard let count = length.numberValue?.int64(in: WireRange.size), Double(count) == length.numberValue else {
                    throw SentryEnvelopeError("item \(items.count + 1)'s length is not a byte count")
                }
                guard cursor + Int(count) <= bytes.count else {
                    throw SentryEnvelopeError("item \(items.count + 1) is shorter than its length of \(count) bytes")
                }
                payload = Array(bytes[cursor..<(cursor + Int(count))])
                cursor += Int(count)
                // The newline after a payload is optional at the end of the envelope.
                if cursor < bytes.count {
                    guard bytes[cursor] == UInt8(ascii: "\n") else {
                        throw SentryEnvelopeError("item \(items.count + 1)'s payload is longer than its length")
                    }
                    cursor += 1
                }
            } else {
                payload = Array(line() ?? [])
            }
            items.append(Item(type: type, header: itemHeader, payload: payload))
        }
        return SentryEnvelope(header: header, items: items)
    }
}

public struct SentryEnvelopeError: Error, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
