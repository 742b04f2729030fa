import GRDB

/// Each project's active signals, read once per commit rather than once per event.
struct SQLiteActiveSignals {
    private var byProject: [Int64: [ActiveSignal]] = [:]

    mutating func of(_ projectID: Int64, db: Database) throws -> [ActiveSignal] {
        if let cached = byProject[projectID] { return cached }
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, match FROM signals WHERE project_id = ? AND status = 'active'"), arguments: [projectID])
        // A stored condition that no longer parses matches nothing; it must not fail the commit.
        let loaded = rows.compactMap { row -> ActiveSignal? in
            guard let match = try? SignalMatch(jsonText: row["match"]) else { return nil }
            return ActiveSignal(id: row["id"], match: match)
        }
        byProject[projectID] = loaded
        return loaded
    }
}
