/// The per-day (UTC) counters the aggregates read instead of raw events, maintained in the
/// ingest commit: custom events by name, pageviews by path, errors, and how many events each
/// identity (the user, else the session) had each day, from which daily active users follow.
/// Events purged by retention are taken back out the same way, so the counters always describe
/// the events that are stored. One commit's changes are folded here first; the store applies the
/// result in sorted key order, so that concurrent writers take their row locks in the same order.
public struct DailyRollup: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// `type=event`, keyed by name.
        case event
        /// `type=pageview`, keyed by URL path (the name when there is no URL).
        case page
        /// `type=error`, one counter per day.
        case error
        /// Distinct identities that day; counted by the store as it records new ones.
        case dau
    }

    public struct Counter: Hashable, Comparable, Sendable {
        public var projectID: Int64
        public var kind: Kind
        public var day: Int64
        public var key: String

        public static func < (a: Counter, b: Counter) -> Bool {
            (a.projectID, a.kind.rawValue, a.day, a.key) < (b.projectID, b.kind.rawValue, b.day, b.key)
        }
    }

    public struct Identity: Hashable, Comparable, Sendable {
        public var projectID: Int64
        public var day: Int64
        public var identity: String

        public static func < (a: Identity, b: Identity) -> Bool {
            (a.projectID, a.day, a.identity) < (b.projectID, b.day, b.identity)
        }
    }

    private var counts: [Counter: Int] = [:]
    private var identities: [Identity: Int] = [:]

    public init() {}

    public static func day(of ts: Int64) -> Int64 { ts / UTCDay.millisecondsPerDay }

    /// The counter an event adds one to, if any.
    public static func counter(for event: IngestEvent, projectID: Int64) -> Counter? {
        let day = day(of: event.ts)
        switch event.type {
        case .event: return Counter(projectID: projectID, kind: .event, day: day, key: event.name)
        case .pageview: return Counter(projectID: projectID, kind: .page, day: day, key: URLPath.path(of: event.url ?? event.name))
        case .error: return Counter(projectID: projectID, kind: .error, day: day, key: "")
        case .network, .bugReport: return nil
        }
    }

    public mutating func add(_ event: IngestEvent, projectID: Int64) {
        change(event, projectID: projectID, by: 1)
    }

    /// Takes a purged event back out.
    public mutating func remove(_ event: IngestEvent, projectID: Int64) {
        change(event, projectID: projectID, by: -1)
    }

    private mutating func change(_ event: IngestEvent, projectID: Int64, by delta: Int) {
        if let counter = Self.counter(for: event, projectID: projectID) { counts[counter, default: 0] += delta }
        if let identity = event.identity {
            identities[Identity(projectID: projectID, day: Self.day(of: event.ts), identity: identity), default: 0] += delta
        }
    }

    public var isEmpty: Bool { counts.isEmpty && identities.isEmpty }
    /// Counter changes (negative for purged events), in key order.
    public var sortedCounts: [(Counter, Int)] { counts.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    /// Each identity-day's change in events, in key order.
    public var sortedIdentities: [(Identity, Int)] { identities.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
}
