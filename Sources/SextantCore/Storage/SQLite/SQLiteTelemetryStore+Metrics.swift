import GRDB

extension SQLiteTelemetryStore {
    public func metricNames(_ filter: MetricFilter) async throws -> [MetricName] {
        var conditions = metricConditions(filter)
        conditions.add("m.name = ?", filter.name)
        let sql = """
            SELECT m.name, max(m.kind), max(m.unit), count(*), max(m.ts) AS last
            FROM metric_points m JOIN projects p ON p.id = m.project_id
            \(conditions.whereClause) GROUP BY m.name ORDER BY last DESC, m.name LIMIT 500
            """
        let arguments = conditions.arguments
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                MetricName(name: row[0], kind: MetricKind(rawValue: row[1]) ?? .gauge, unit: row[2], points: row[3], lastSeen: row[4])
            }
        }
    }

    public func metricPoints(_ filter: MetricFilter) async throws -> [MetricPoint] {
        var conditions = metricConditions(filter)
        conditions.add("m.name = ?", filter.name)
        let sql = """
            SELECT m.name, m.kind, m.unit, m.ts, m.value, m.count, m.min, m.max, m.cumulative, m.service, m.attributes
            FROM metric_points m JOIN projects p ON p.id = m.project_id
            \(conditions.whereClause) ORDER BY m.ts, m.id LIMIT \(max(0, filter.pointLimit))
            """
        let arguments = conditions.arguments
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                var point = MetricPoint(
                    name: row[0], kind: MetricKind(rawValue: row[1]) ?? .gauge, ts: row[3], value: row[4] ?? 0, isCumulative: row[8] ?? false)
                point.unit = row[2]
                point.count = row[5]
                point.min = row[6]
                point.max = row[7]
                point.service = row[9]
                point.attributesJSON = row[10]
                return point
            }
        }
    }

    private func metricConditions(_ filter: MetricFilter) -> SQLConditions {
        var conditions = SQLConditions()
        conditions.add("p.slug = ?", filter.time.projectSlug)
        conditions.add("m.ts >= ?", filter.time.from)
        conditions.add("m.ts <= ?", filter.time.to)
        return conditions
    }
}
