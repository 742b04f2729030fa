/// A project's signal as ingest matches it.
struct ActiveSignal: Sendable {
    var id: String
    var match: SignalMatch
}

/// One commit's signal matches, added to the signals once at its end.
struct SignalTally {
    struct Matches: Equatable {
        var count: Int64
        var lastAt: Int64
    }

    private(set) var matches: [String: Matches] = [:]

    mutating func observe(event: IngestEvent, among signals: [ActiveSignal], at now: Int64) {
        for signal in signals where signal.match.matches(event: event) { count(signal.id, at: now) }
    }

    mutating func observe(log: LogRecord, among signals: [ActiveSignal], at now: Int64) {
        for signal in signals where signal.match.matches(log: log) { count(signal.id, at: now) }
    }

    mutating func observe(error: IssueOccurrence, among signals: [ActiveSignal], at now: Int64) {
        for signal in signals where signal.match.matches(error: error) { count(signal.id, at: now) }
    }

    /// In id order: every backend updates signals so.
    var sortedMatches: [(key: String, value: Matches)] { matches.sorted { $0.key < $1.key } }

    private mutating func count(_ id: String, at now: Int64) {
        let previous = matches[id] ?? Matches(count: 0, lastAt: now)
        matches[id] = Matches(count: previous.count + 1, lastAt: max(previous.lastAt, now))
    }
}
