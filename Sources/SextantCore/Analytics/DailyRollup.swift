/// The per-day (UTC) counters the aggregates read instead of raw events, maintained in the
/// ingest commit: custom events by name, pageviews by path, errors, and each day's distinct
/// identities (the user, else the session), from which daily active users follow. Events purged
/// by retention are taken back out (the identities of their days are counted again from the
/// events that remain), so the counters always describe the events that are stored. One commit's changes are folded here first; the store applies the
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

    public struct Day: Hashable, Comparable, Sendable {
        public var projectID: Int64
        public var day: Int64

        public static func < (a: Day, b: Day) -> Bool { (a.projectID, a.day) < (b.projectID, b.day) }
    }

    private var counts: [Counter: Int] = [:]
    private var identities: [Day: Set<String>] = [:]
    private var purgedDays: Set<Day> = []

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
        if let counter = Self.counter(for: event, projectID: projectID) { counts[counter, default: 0] += 1 }
        if let identity = event.identity { identities[Day(projectID: projectID, day: Self.day(of: event.ts)), default: []].insert(identity) }
    }

    /// Takes a purged event back out; its day's active identities are to be counted again.
    public mutating func remove(_ event: IngestEvent, projectID: Int64) {
        if let counter = Self.counter(for: event, projectID: projectID) { counts[counter, default: 0] -= 1 }
        purgedDays.insert(Day(projectID: projectID, day: Self.day(of: event.ts)))
    }

    public var isEmpty: Bool { counts.isEmpty && identities.isEmpty && purgedDays.isEmpty }
    /// Counter changes (negative for purged events), in key order.
    public var sortedCounts: [(Counter, Int)] { counts.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    /// The identities seen each day, days and identities in key order.
    public var sortedIdentities: [(Day, [String])] { identities.sorted { $0.key < $1.key }.map { ($0.key, $0.value.sorted()) } }
    public var sortedPurgedDays: [Day] { purgedDays.sorted() }
}
