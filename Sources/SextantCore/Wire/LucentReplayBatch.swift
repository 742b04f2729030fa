/// Lucent's `POST /api/sdk/replay` batch (API.md §5), validated, with `replay.events` kept as
/// the exact text it arrived in (that text is the stored chunk).
public struct LucentReplayBatch: Sendable {
    public var sessionID: String
    public var userID: String
    public var pageURL: String
    public var sessionURL: String?
    public var sequence: Int
    public var isFinal: Bool
    public var eventsJSON: [UInt8]
    public var summary: ReplayChunkSummary
    /// `metadata.userAgent`: the recording browser.
    public var userAgent: String? = nil
    /// `user.properties`, scrubbed: what the site says about the user (shown on the person page).
    public var userProperties: [String: JSONValue] = [:]

    public static let maximumEvents = 5_000

    /// One problem, as Lucent's `details` list names it.
    public struct Problem: Sendable, Equatable {
        public var path: String
        public var message: String
    }

    public enum DecodingError: Error, Equatable {
        case invalid([Problem])
        case tooManyEvents
    }

    public static func decode(_ body: some Collection<UInt8>) throws(DecodingError) -> LucentReplayBatch {
        var problems: [Problem] = []
        var document: [String: JSONValue] = [:]
        var eventsRange: Range<Int>?
        var eventsJSON: [UInt8] = []
        do {
            try JSONScanner.withScanner(over: body) { scanner in
                guard scanner.peek() == UInt8(ascii: "{") else { throw JSONSyntaxError("body must be a JSON object", offset: scanner.offset) }
                try scanner.readObject { scanner, key in
                    if key == "replay", scanner.peek() == UInt8(ascii: "{") {
                        var replay: [String: JSONValue] = [:]
                        try scanner.readObject { scanner, member in
                            if member == "events" {
                                eventsRange = try scanner.skipValue()
                            } else {
                                replay[member] = try scanner.readValue()
                            }
                        }
                        document[key] = .object(replay)
                    } else {
                        document[key] = try scanner.readValue()
                    }
                }
                try scanner.expectEnd()
                if let eventsRange {
                    eventsJSON = Array(UnsafeBufferPointer(rebasing: scanner.bytes[eventsRange]))
                }
            }
        } catch {
            throw .invalid([Problem(path: "", message: "body is not valid JSON: \(error)")])
        }

        func requiredString(_ object: String, _ member: String) -> String? {
            guard let value = document[object]?[member]?.stringValue, !value.isEmpty else {
                problems.append(Problem(path: "\(object).\(member)", message: "Required non-empty string"))
                return nil
            }
            return value
        }
        let sessionID = requiredString("session", "id")
        let anonymousID = requiredString("user", "anonymousId")
        let pageURL = requiredString("page", "url")
        let userID = document["user"]?["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }

        var sequence: Int?
        if let number = document["replay"]?["sequence"]?.numberValue, number >= 0, number == number.rounded(), number < 1e9 {
            sequence = Int(number)
        } else {
            problems.append(Problem(path: "replay.sequence", message: "Required integer >= 0"))
        }

        var summary: ReplayChunkSummary?
        if eventsRange == nil {
            problems.append(Problem(path: "replay.events", message: "Required array of rrweb events"))
        } else {
            do {
                let inspected = try ReplayChunkInspector.inspect(eventsJSON)
                if inspected.eventCount == 0 {
                    problems.append(Problem(path: "replay.events", message: "At least one event is required"))
                } else if inspected.eventCount > maximumEvents {
                    throw DecodingError.tooManyEvents
                } else {
                    summary = inspected
                }
            } catch let error as ReplayChunkError {
                switch error {
                case .notAnArray: problems.append(Problem(path: "replay.events", message: "Required array of rrweb events"))
                case .invalidEvent(let index, let reason): problems.append(Problem(path: "replay.events.\(index)", message: reason))
                }
            } catch {
                throw .tooManyEvents
            }
        }

        var isFinal = false
        switch document["flush"] {
        case nil, .null, .string("normal"): break
        case .string("final"): isFinal = true
        default: problems.append(Problem(path: "flush", message: "Expected \"normal\" or \"final\""))
        }

        guard problems.isEmpty, let sessionID, let anonymousID, let pageURL, let sequence, let summary else {
            throw .invalid(problems)
        }
        var batch = LucentReplayBatch(
            sessionID: sessionID, userID: userID ?? anonymousID, pageURL: pageURL,
            sessionURL: document["session"]?["url"]?.stringValue, sequence: sequence, isFinal: isFinal,
            eventsJSON: eventsJSON, summary: summary)
        batch.userAgent = document["metadata"]?["userAgent"]?.stringValue
        if let properties = document["user"]?["properties"].map(Scrubber.scrub)?.objectValue {
            batch.userProperties = properties.filter { !$0.value.isNull }
        }
        return batch
    }
}
