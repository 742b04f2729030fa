import GRDB

/// Counts signal matches within one ingest transaction and adds them to the signals at its end,
/// so each project's signals are read once per commit rather than once per event.
struct SQLiteSignalTally {
    private var signalsByProject: [Int64: [(id: String, match: SignalMatch)]] = [:]
    private var matches: [String: (count: Int64, lastAt: Int64)] = [:]

    mutating func observe(event: IngestEvent, projectID: Int64, at now: Int64, db: Database) throws {
        for signal in try signals(of: projectID, db: db) where signal.match.matches(event: event) { count(signal.id, at: now) }
    }

    mutating func observe(log: LogRecord, projectID: Int64, at now: Int64, db: Database) throws {
        for signal in try signals(of: projectID, db: db) where signal.match.matches(log: log) { count(signal.id, at: now) }
    }

    mutating func observe(error: IssueOccurrence, projectID: Int64, at now: Int64, db: Database) throws {
        for signal in try signals(of: projectID, db: db) where signal.match.matches(error: error) { count(signal.id, at: now) }
    }

    /// In id order, as every upsert of a commit: concurrent writers lock rows in one order.
    func apply(_ db: Database) throws {
        for (id, tally) in matches.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: """
                UPDATE signals SET match_count = match_count + ?, last_match_at = max(coalesce(last_match_at, 0), ?) WHERE id = ?
                """, arguments: [tally.count, tally.lastAt, id])
        }
    }

    private mutating func count(_ id: String, at now: Int64) {
        let previous = matches[id] ?? (0, now)
        matches[id] = (previous.count + 1, max(previous.lastAt, now))
    }

    private mutating func signals(of projectID: Int64, db: Database) throws -> [(id: String, match: SignalMatch)] {
        if let cached = signalsByProject[projectID] { return cached }
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, match FROM signals WHERE project_id = ? AND status = 'active'"), arguments: [projectID])
        let loaded = rows.compactMap { row -> (id: String, match: SignalMatch)? in
            guard let match = try? SignalMatch(jsonText: row["match"]) else { return nil }
            return (row["id"], match)
        }
        signalsByProject[projectID] = loaded
        return loaded
    }
}
