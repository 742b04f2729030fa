/// The body of spyglass's `POST /v1/events`, decoded and validated in one pass over the bytes.
public struct EventBatchRequest: Sendable {
    public var app: String?
    public var key: String?
    public var events: [IngestEvent]
    /// The first invalid event; the whole batch is refused when set.
    public var invalidEvent: InvalidEvent?

    public struct InvalidEvent: Sendable, Equatable, Error {
        public var index: Int
        public var message: String
    }
}

public enum EventBatchDecodingError: Error, Equatable {
    case malformed(String)
    case badField(String)
    case tooManyEvents(limit: Int)
}

public enum EventBatchDecoder {
    public static let maximumEvents = 10_000

    /// Decodes a batch; `now` replaces `ts: 0`. Unknown members are skipped unread.
    public static func decode(_ body: some Collection<UInt8>, now: Int64) throws -> EventBatchRequest {
        do {
            return try JSONScanner.withScanner(over: body) { scanner in
                var request = EventBatchRequest(app: nil, key: nil, events: [], invalidEvent: nil)
                var sawEvents = false
                try scanner.readObject { scanner, member in
                    switch member {
                    case "app": request.app = try optionalString(&scanner, field: "app")
                    case "key": request.key = try optionalString(&scanner, field: "key")
                    case "events":
                        sawEvents = true
                        guard scanner.peek() == UInt8(ascii: "[") else { throw EventBatchDecodingError.badField("events must be an array") }
                        try scanner.readArray { scanner, index in
                            guard index < maximumEvents else { throw EventBatchDecodingError.tooManyEvents(limit: maximumEvents) }
                            if request.invalidEvent != nil {
                                try scanner.skipValue()
                                return
                            }
                            _ = scanner.peek()
                            let eventStart = scanner.offset
                            do {
                                request.events.append(try decodeEvent(&scanner, now: now))
                            } catch let problem as EventProblem {
                                request.invalidEvent = .init(index: index, message: problem.message)
                                if scanner.offset == eventStart { try scanner.skipValue() }
                            }
                        }
                    default: try scanner.skipValue()
                    }
                }
                try scanner.expectEnd()
                guard sawEvents else { throw EventBatchDecodingError.badField("events is required") }
                return request
            }
        } catch let error as JSONSyntaxError {
            throw EventBatchDecodingError.malformed("invalid JSON: \(error)")
        } catch let problem as EventProblem {
            throw EventBatchDecodingError.badField(problem.message)
        }
    }

    /// A semantic problem with one field; thrown before the field's value is consumed, so the
    /// caller can skip it and keep reading.
    private struct EventProblem: Error {
        var message: String
    }

    private static func decodeEvent(_ scanner: inout JSONScanner, now: Int64) throws -> IngestEvent {
        guard scanner.peek() == UInt8(ascii: "{") else { throw EventProblem(message: "event must be an object") }
        var ts: Int64?
        var typeName: String?
        var name: String?
        var userID: String?
        var sessionID: String?
        var url: String?
        var props: String?
        var problem: String?
        try scanner.readObject { scanner, member in
            guard problem == nil else { try scanner.skipValue(); return }
            do {
                switch member {
                case "ts":
                    guard scanner.peek() != UInt8(ascii: "n"), let first = scanner.peek(),
                          first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39)
                    else { throw EventProblem(message: "ts must be a number (Unix ms)") }
                    // Peeked, not consumed: an out-of-range value is skipped by the problem path below.
                    var peeking = scanner
                    guard let inRange = try peeking.readNumber().int64(in: WireRange.timestampMs) else {
                        throw EventProblem(message: "ts must be Unix ms \(WireRange.describe(WireRange.timestampMs))")
                    }
                    scanner = peeking
                    ts = inRange
                case "type": typeName = try optionalString(&scanner, field: "type")
                case "name": name = try optionalString(&scanner, field: "name")
                case "user_id": userID = try optionalString(&scanner, field: "user_id")
                case "session_id": sessionID = try optionalString(&scanner, field: "session_id")
                case "url": url = try optionalString(&scanner, field: "url")
                case "app": _ = try optionalString(&scanner, field: "app")
                case "props":
                    if try scanner.consumeNull() { return }
                    guard scanner.peek() == UInt8(ascii: "{") else { throw EventProblem(message: "props must be an object") }
                    props = scanner.text(of: try scanner.skipValue())
                default: try scanner.skipValue()
                }
            } catch let fieldProblem as EventProblem {
                problem = fieldProblem.message
                try scanner.skipValue()
            }
        }
        if let problem { throw EventProblem(message: problem) }
        guard let ts else { throw EventProblem(message: "ts is required") }
        guard ts >= 0 else { throw EventProblem(message: "ts must not be negative") }
        guard let typeName else { throw EventProblem(message: "type is required") }
        guard let type = EventType(rawValue: typeName) else {
            throw EventProblem(message: "type must be one of event, pageview, error, network, bug_report")
        }
        let resolvedName: String
        if let name, !name.isEmpty {
            resolvedName = name
        } else if type == .pageview, let url {
            resolvedName = URLPath.path(of: url)
        } else {
            throw EventProblem(message: "name is required")
        }
        return IngestEvent(
            ts: ts == 0 ? now : ts, type: type, name: resolvedName,
            userID: nonEmpty(userID), sessionID: nonEmpty(sessionID), url: url, propsJSON: props
        )
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// A string member that may be null or absent; any other type is an error naming the field.
    private static func optionalString(_ scanner: inout JSONScanner, field: String) throws -> String? {
        if try scanner.consumeNull() { return nil }
        guard scanner.peek() == UInt8(ascii: "\"") else {
            throw EventProblem(message: "\(field) must be a string")
        }
        return try scanner.readString()
    }
}
