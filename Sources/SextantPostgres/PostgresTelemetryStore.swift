import PostgresNIO
import SextantCore

public struct PostgresTelemetryStore: TelemetryStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    public func endpoints(_ filter: EndpointFilter) async throws -> [EndpointStats] {
        var conditions = PostgresFilter()
        conditions.time(filter.time, column: "r.ts")
        conditions.equal("r.direction", filter.direction?.rawValue)
        var statement = conditions.query("""
            SELECT r.method, r.host, r.route, r.status_code, r.duration_ms FROM http_requests r JOIN projects p ON p.id = r.project_id
            """)
        statement.append(" ORDER BY r.method, r.host, r.route, r.duration_ms")
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
        for try await row in try await database.client.query(statement.query, logger: database.logger) {
            let (method, host, path, status, duration) = try row.decode((String, String, String, Int64, Double).self)
            if current == nil || current! != (method, host, path) {
                flush()
                current = (method, host, path)
                durations.removeAll(keepingCapacity: true)
                errors = 0
            }
            durations.append(duration)
            // A status of 0 is a call that never got a response.
            if status == 0 || status >= 500 { errors += 1 }
        }
        flush()
        return stats.sorted { ($0.p95, $1.method + $1.path) > ($1.p95, $0.method + $0.path) }
    }

    public func queries(_ filter: QueryStatsFilter) async throws -> [QueryStats] {
        var conditions = PostgresFilter()
        conditions.time(filter.time, column: "q.ts")
        conditions.equal("q.database_type", filter.databaseType)
        // Rows come grouped and sorted by duration, so each group's percentiles need no second pass.
        var statement = conditions.query("""
            SELECT p.slug, q.query_hash, q.normalized_query, q.query_type, q.database_type, q.database_name, q.duration_ms, q.failed, q.ts
            FROM db_queries q JOIN projects p ON p.id = q.project_id
            """)
        statement.append(" ORDER BY p.slug, q.query_hash, q.duration_ms")
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
        for try await row in try await database.client.query(statement.query, logger: database.logger) {
            let (slug, hash, normalized, type, databaseType, databaseName, duration, failed, ts) =
                try row.decode((String, String, String, String, String?, String?, Double, Bool, Int64).self)
            if current?.projectSlug != slug || current?.queryHash != hash {
                flush()
                current = QueryStats(
                    projectSlug: slug, queryHash: hash, normalizedQuery: normalized, queryType: type, databaseType: databaseType,
                    databaseName: databaseName, count: 0, errorCount: 0, totalMs: 0, p50: 0, p95: 0, maxMs: 0, lastSeen: 0)
                durations.removeAll(keepingCapacity: true)
            }
            durations.append(duration)
            current!.count += 1
            current!.totalMs += duration
            if failed { current!.errorCount += 1 }
            current!.lastSeen = max(current!.lastSeen, ts)
        }
        flush()
        let ranked = stats.sorted { ($0.totalMs, $1.normalizedQuery) > ($1.totalMs, $0.normalizedQuery) }
        return Array(ranked.prefix(filter.limit))
    }

    public func metricNames(_ filter: MetricFilter) async throws -> [MetricName] {
        var conditions = Self.metricConditions(filter)
        conditions.equal("m.name", filter.name)
        var statement = conditions.query("""
            SELECT m.name, max(m.kind), max(m.unit), count(*), max(m.ts) AS last FROM metric_points m JOIN projects p ON p.id = m.project_id
            """)
        statement.append(" GROUP BY m.name ORDER BY last DESC, m.name LIMIT 500")
        return try await database.rows(statement.query).map { row in
            let (name, kind, unit, points, last) = try row.decode((String, String, String?, Int64, Int64).self)
            return MetricName(name: name, kind: MetricKind(rawValue: kind) ?? .gauge, unit: unit, points: Int(points), lastSeen: last)
        }
    }

    public func metricPoints(_ filter: MetricFilter) async throws -> [MetricPoint] {
        var conditions = Self.metricConditions(filter)
        conditions.equal("m.name", filter.name)
        var statement = conditions.query("""
            SELECT m.name, m.kind, m.unit, m.ts, m.value, m.count, m.min, m.max, m.cumulative, m.service, m.attributes
            FROM metric_points m JOIN projects p ON p.id = m.project_id
            """)
        statement.append(" ORDER BY m.ts, m.id LIMIT \(statement.bind(Int64(max(0, filter.pointLimit))))")
        return try await database.rows(statement.query).map { row in
            let columns = row.makeRandomAccess()
            var point = MetricPoint(
                name: try columns[0].decode(String.self), kind: MetricKind(rawValue: try columns[1].decode(String.self)) ?? .gauge,
                ts: try columns[3].decode(Int64.self), value: try columns[4].decode(Double.self), isCumulative: try columns[8].decode(Bool.self))
            point.unit = try columns[2].decode(String?.self)
            point.count = try columns[5].decode(Int64?.self)
            point.min = try columns[6].decode(Double?.self)
            point.max = try columns[7].decode(Double?.self)
            point.service = try columns[9].decode(String?.self)
            point.attributesJSON = try columns[10].decode(String?.self)
            return point
        }
    }

    private static func metricConditions(_ filter: MetricFilter) -> PostgresFilter {
        var conditions = PostgresFilter()
        conditions.time(filter.time, column: "m.ts")
        return conditions
    }
}
