import GRDB

/// Retention and paths read each identity's events in time order, one identity at a time, like the funnel.
extension SQLiteAnalyticsStore {
    public func retention(_ query: RetentionQuery) async throws -> [RetentionCohort] {
        var counter = try await walk(RetentionCounter(query), names: [query.startEvent, query.returnEvent],
                                     filter: TimeFilter(projectSlug: query.projectSlug, from: query.from, to: query.scanEnd))
        return counter.finish()
    }

    public func paths(_ query: PathQuery) async throws -> PathAnswer {
        var counter = try await walk(PathCounter(query), names: nil, filter: TimeFilter(projectSlug: query.projectSlug, from: query.from, to: query.to))
        return counter.finish()
    }

    /// Streams events (only those named `names`, when given) grouped by walker, time-ordered
    /// within each, into `counter`, and gives it back.
    func walk<Counter: WalkCounter>(_ counter: Counter, names: [String]?, filter: TimeFilter) async throws -> Counter {
        var conditions = SQLConditions()
        conditions.add(time: filter, column: "e.ts")
        conditions.add("e.name IN (SELECT value FROM json_each(?))", names.map(SQLiteTenancyStore.encodeList))
        conditions.add("coalesce(e.user_id, e.session_id) IS NOT NULL")
        let sql = """
            SELECT e.project_id || ':' || coalesce(e.user_id, e.session_id) AS walker, e.name, e.ts
            FROM events e JOIN projects p ON p.id = e.project_id
            \(conditions.whereClause) ORDER BY walker, e.ts, e.id
            """
        let arguments = conditions.arguments
        return try await database.read { db in
            // A cursor, not an array: SQLite's sorter spills to temporary files, and the counter
            // holds one walker's events at a time.
            var counter = counter
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() { counter.add(FunnelEvent(walker: row[0], name: row[1], ts: row[2])) }
            return counter
        }
    }
}
