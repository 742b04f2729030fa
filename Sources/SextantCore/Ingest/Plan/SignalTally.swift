/// A project's signal as ingest matches it.
package struct ActiveSignal: Sendable {
    package var id: String
    package var match: SignalMatch

    package init(id: String, match: SignalMatch) {
        self.id = id
        self.match = match
    }
}

/// One commit's signal matches, added to the signals once at its end.
package struct SignalTally {
    package struct Matches: Equatable {
        package var count: Int64
        package var lastAt: Int64
    }

    package private(set) var matches: [String: Matches] = [:]

    package mutating func observe(event: IngestEvent, among signals: [ActiveSignal], at now: Int64) {
        for signal in signals where signal.match.matches(event: event) { count(signal.id, at: now) }
    }

    package mutating func observe(log: LogRecord, among signals: [ActiveSignal], at now: Int64) {
        for signal in signals where signal.match.matches(log: log) { count(signal.id, at: now) }
    }

    package mutating func observe(error: IssueOccurrence, among signals: [ActiveSignal], at now: Int64) {
        for signal in signals where signal.match.matches(error: error) { count(signal.id, at: now) }
    }

    /// In id order: every backend updates signals so.
    package var sortedMatches: [(key: String, value: Matches)] { matches.sorted { $0.key < $1.key } }

    private mutating func count(_ id: String, at now: Int64) {
        let previous = matches[id] ?? Matches(count: 0, lastAt: now)
        matches[id] = Matches(count: previous.count + 1, lastAt: max(previous.lastAt, now))
    }
}
