/// How long each kind of data is kept, in days; 0 keeps it forever (API.md §2, §8).
public struct RetentionDays: Sendable, Equatable, Decodable {
    public var replays = 21
    public var logs = 14
    public var httpRequests = 30
    public var heartbeats = 90
    public var events = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case replays, logs, heartbeats, events
        case httpRequests = "http_requests"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RetentionDays()
        replays = try c.decodeIfPresent(Int.self, forKey: .replays) ?? defaults.replays
        logs = try c.decodeIfPresent(Int.self, forKey: .logs) ?? defaults.logs
        httpRequests = try c.decodeIfPresent(Int.self, forKey: .httpRequests) ?? defaults.httpRequests
        heartbeats = try c.decodeIfPresent(Int.self, forKey: .heartbeats) ?? defaults.heartbeats
        events = try c.decodeIfPresent(Int.self, forKey: .events) ?? defaults.events
    }
}
