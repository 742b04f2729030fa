/// How long each kind of data is kept, in days; 0 keeps it forever (API.md §2, §8).
public struct RetentionDays: Sendable, Equatable, Decodable {
    public var replays = 21
    public var logs = 14
    public var httpRequests = 30
    public var heartbeats = 90
    public var events = 0

    public init() {}

    /// The kinds of data retention applies to, with their configured days.
    public var byKind: [(RetentionKind, Int)] {
        [(.replays, replays), (.logs, logs), (.httpRequests, httpRequests), (.heartbeats, heartbeats), (.events, events)]
    }

    package var jsonText: String {
        var writer = JSONWriter()
        writer.beginObject()
        for (kind, days) in byKind {
            writer.key(kind.rawValue)
            writer.integer(days)
        }
        writer.endObject()
        return writer.text
    }

    package init(jsonText: String?) {
        self.init()
        guard let text = jsonText, let value = try? JSONValue.parse(text) else { return }
        func days(_ kind: RetentionKind) -> Int? { value[kind.rawValue]?.intValue }
        replays = days(.replays) ?? replays
        logs = days(.logs) ?? logs
        httpRequests = days(.httpRequests) ?? httpRequests
        heartbeats = days(.heartbeats) ?? heartbeats
        events = days(.events) ?? events
    }

    enum CodingKeys: String, CodingKey {
        case replays, logs, heartbeats, events
        case httpRequests = "http_requests"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RetentionDays()
        replays = try c.decode(.replays, or: defaults.replays)
        logs = try c.decode(.logs, or: defaults.logs)
        httpRequests = try c.decode(.httpRequests, or: defaults.httpRequests)
        heartbeats = try c.decode(.heartbeats, or: defaults.heartbeats)
        events = try c.decode(.events, or: defaults.events)
    }
}

/// The kinds of stored data with a retention period.
public enum RetentionKind: String, Sendable, CaseIterable {
    case replays
    case logs
    /// HTTP telemetry, and the spans, database queries and metrics that come with it.
    case httpRequests = "http_requests"
    case heartbeats
    /// Product events, release-health sessions and attachments.
    case events
}
