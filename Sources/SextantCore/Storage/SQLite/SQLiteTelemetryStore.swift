import GRDB

public struct SQLiteTelemetryStore: TelemetryStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func endpoints(_ filter: EndpointFilter) async throws -> [EndpointStats] {
        var conditions = SQLConditions()
        conditions.add(time: filter.time, column: "r.ts")
        conditions.add("r.direction = ?", filter.direction?.rawValue)
        let sql = """
            SELECT r.method, r.host, r.route, r.status_code, r.duration_ms FROM http_requests r JOIN projects p ON p.id = r.project_id
            \(conditions.whereClause) ORDER BY r.method, r.host, r.route, r.duration_ms
            """
        let arguments = conditions.arguments
        return try await database.read { db in
            var stats: [EndpointStats] = []
            var durations: [Double] = []
            var current: (method: String, host: String, path: String)?
            var errors = 0
            func flush() {
                guard let key = current else { return }
                stats.append(EndpointStats(
                    method: key.method, host: key.host, path: key.path, count: durations.count, errorCount: errors,
                    p50: Percentile.of(durations, 0.5), p95: Percentile.of(durations, 0.95), p99: Percentile.of(durations, 0.99)))
            }
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let key = (method: row[0] as String, host: row[1] as String, path: row[2] as String)
                if current == nil || current! != key {
                    flush()
                    current = key
                    durations.removeAll(keepingCapacity: true)
                    errors = 0
                }
                durations.append(row[4])
                // A status of 0 is a call that never got a response.
                let status: Int = row[3]
                if status == 0 || status >= 500 { errors += 1 }
            }
            flush()
            return stats.sorted { ($0.p95, $1.method + $1.path) > ($1.p95, $0.method + $0.path) }
        }
    }
}
