import GRDB

extension SQLiteTelemetryStore {
    public func queries(_ filter: QueryStatsFilter) async throws -> [QueryStats] {
        var conditions = SQLConditions()
        conditions.add(time: filter.time, column: "q.ts")
        conditions.add("q.database_type = ?", filter.databaseType)
        // Rows come grouped and sorted by duration, so each group's percentiles need no second pass.
        let sql = """
            SELECT p.slug, q.query_hash, q.normalized_query, q.query_type, q.database_type, q.database_name, q.duration_ms, q.failed, q.ts
            FROM db_queries q JOIN projects p ON p.id = q.project_id
            \(conditions.whereClause) ORDER BY p.slug, q.query_hash, q.duration_ms
            """
        let arguments = conditions.arguments
        return try await database.read { db in
            var stats: [QueryStats] = []
            var durations: [Double] = []
            var current: QueryStats?
            func flush() {
                guard var group = current else { return }
                group.p50 = Percentile.of(durations, 0.5)
                group.p95 = Percentile.of(durations, 0.95)
                group.maxMs = durations.last ?? 0
                stats.append(group)
            }
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let slug: String = row[0]
                let hash: String = row[1]
                if current?.projectSlug != slug || current?.queryHash != hash {
                    flush()
                    current = QueryStats(
                        projectSlug: slug, queryHash: hash, normalizedQuery: row[2], queryType: row[3], databaseType: row[4],
                        databaseName: row[5], count: 0, errorCount: 0, totalMs: 0, p50: 0, p95: 0, maxMs: 0, lastSeen: 0)
                    durations.removeAll(keepingCapacity: true)
                }
                let duration: Double = row[6]
                durations.append(duration)
                current!.count += 1
                current!.totalMs += duration
                if row[7] as Bool { current!.errorCount += 1 }
                current!.lastSeen = max(current!.lastSeen, row[8])
            }
            flush()
            let ranked = stats.sorted { ($0.totalMs, $1.normalizedQuery) > ($1.totalMs, $0.normalizedQuery) }
            return Array(ranked.prefix(filter.limit))
        }
    }
}
