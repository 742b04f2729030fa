import PostgresNIO
import SextantCore

public struct PostgresInsightStore: InsightStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    static let selectInsights = "SELECT insights.*, projects.slug AS project_slug FROM insights JOIN projects ON projects.id = insights.project_id"

    public func insights(organizationID: String?, after: PageCursor?, limit: Int) async throws -> Page<Insight> {
        try await PostgresKeysetPage.fetch(
            database, select: Self.selectInsights, table: "insights", filter: .equal("insights.organization_id", organizationID), after: after,
            limit: limit, item: Self.insight(from:), key: { PageCursor(createdAt: $0.createdAt, id: $0.id) })
    }

    public func save(_ insight: Insight, projectID: Int64) async throws -> Bool {
        try await database.transaction { tx in try await Self.insert(insight, projectID: projectID, tx: tx) }
    }

    /// False when the project already has an insight of that kind for that interval.
    @discardableResult
    static func insert(_ insight: Insight, projectID: Int64, tx: PostgresTransaction) async throws -> Bool {
        try await tx.count("""
            INSERT INTO insights (id, organization_id, project_id, period, interval_start, interval_end, sessions_count, kind,
                title, severity, content_preview, findings, issue_ids, created_at)
            SELECT \(insight.id), organization_id, id, \(insight.kind.rawValue), \(insight.intervalStart), \(insight.intervalEnd),
                \(insight.sessionsCount), \(insight.kind.rawValue), \(insight.title), \(insight.severity.rawValue), \(insight.contentPreview),
                \(InsightFinding.encode(insight.findings)), \(StoredList.encode(insight.issueIDs)), \(insight.createdAt)
            FROM projects WHERE id = \(projectID)
            ON CONFLICT DO NOTHING RETURNING 1
            """) > 0
    }

    public func hasInsight(projectID: Int64, kind: Insight.Kind, intervalStart: Int64) async throws -> Bool {
        try await database.rows("""
            SELECT EXISTS (SELECT 1 FROM insights WHERE project_id = \(projectID) AND period = \(kind.rawValue) AND interval_start = \(intervalStart))
            """)[0].decode(Bool.self)
    }

    public func digestInputs(projectID: Int64, from: Int64, to: Int64) async throws -> DigestInputs {
        let week: Int64 = 7 * 86_400_000
        let hour: Int64 = 3_600_000
        var inputs = DigestInputs()
        inputs.sessions = try await database.rows("""
            SELECT count(*) FROM sessions WHERE last_seen >= \(from) AND started_at < \(to) AND project_id = \(projectID)
            """)[0].decode(Int64.self)
        inputs.errors = try await errorOccurrences(projectID: projectID, fromHour: from / hour, toHour: to / hour)
        let baselineTotal = try await errorOccurrences(projectID: projectID, fromHour: (from - week) / hour, toHour: from / hour)
        inputs.errorBaseline = Double(baselineTotal) * Double(to - from) / Double(week)
        inputs.newIssues = try await issues("issues.created_at >= $2 AND issues.created_at < $3", projectID: projectID, from: from, to: to, limit: 20)
        inputs.regressedIssues = try await issues(
            "issues.regressed_at >= $2 AND issues.regressed_at < $3", projectID: projectID, from: from, to: to, limit: 20)
        inputs.clickHotspots = try await issues(
            "issues.kind IN ('rage_click', 'dead_click') AND issues.updated_at >= $2 AND issues.updated_at < $3", projectID: projectID, from: from,
            to: to, limit: 5)
        inputs.failingMonitors = try await database.rows("""
            SELECT slug, status FROM monitors WHERE project_id = \(projectID) AND status IN ('missed', 'failed') ORDER BY slug
            """).map {
            let (slug, status) = try $0.decode((String, String).self)
            return MonitorDigest(slug: slug, status: status)
        }
        inputs.endpoints = try await endpointComparisons(projectID: projectID, from: from, to: to, baselineFrom: from - week)
        return inputs
    }

    private func errorOccurrences(projectID: Int64, fromHour: Int64, toHour: Int64) async throws -> Int64 {
        try await database.rows("""
            SELECT coalesce(sum(count), 0)::bigint FROM occurrence_hours
            WHERE project_id = \(projectID) AND kind = 'error' AND hour >= \(fromHour) AND hour < \(toHour)
            """)[0].decode(Int64.self)
    }

    /// The project's issues matching `condition` (over `$2` and `$3`, the interval), most frequent first.
    private func issues(_ condition: String, projectID: Int64, from: Int64, to: Int64, limit: Int) async throws -> [Issue] {
        var statement = PostgresQueryBuilder()
        _ = (statement.bind(projectID), statement.bind(from), statement.bind(to))
        statement.append("\(PostgresIssueStore.selectIssues) WHERE issues.project_id = $1 AND \(condition) ORDER BY issues.count DESC LIMIT \(limit)")
        return try await database.rows(statement.query).map(PostgresIssueStore.issue(from:))
    }

    /// p95 per endpoint in the interval and over the seven days before it, from one ordered pass.
    private func endpointComparisons(projectID: Int64, from: Int64, to: Int64, baselineFrom: Int64) async throws -> [EndpointComparison] {
        struct Key: Hashable { var method, host, route: String }
        var current: [Key: [Double]] = [:]
        var baseline: [Key: [Double]] = [:]
        let rows = try await database.client.query("""
            SELECT method, host, route, duration_ms, ts >= \(from) AS recent FROM http_requests
            WHERE ts >= \(baselineFrom) AND ts < \(to) AND project_id = \(projectID) AND direction = 'inbound'
            """, logger: database.logger)
        for try await row in rows {
            let (method, host, route, duration, recent) = try row.decode((String, String, String, Double, Bool).self)
            let key = Key(method: method, host: host, route: route)
            if recent { current[key, default: []].append(duration) } else { baseline[key, default: []].append(duration) }
        }
        return current.map { key, durations in
            let before = (baseline[key] ?? []).sorted()
            return EndpointComparison(
                method: key.method, host: key.host, route: key.route, count: Int64(durations.count), p95: Percentile.of(durations.sorted(), 0.95),
                baselineCount: Int64(before.count), baselineP95: before.isEmpty ? 0 : Percentile.of(before, 0.95))
        }.sorted { $0.name < $1.name }
    }

    static func insight(from row: PostgresRow) throws -> Insight {
        Insight(
            id: try row.column("id"), organizationID: try row.column("organization_id"), projectSlug: try row.column("project_slug"),
            kind: Insight.Kind(rawValue: try row.column("kind")) ?? .hourlyDigest, intervalStart: try row.column("interval_start"),
            intervalEnd: try row.column("interval_end"), sessionsCount: try row.column("sessions_count"), title: try row.column("title"),
            severity: Insight.Severity(rawValue: try row.column("severity")) ?? .info, contentPreview: try row.column("content_preview"),
            findings: InsightFinding.decode(try row.column("findings")), issueIDs: StoredList.decode(try row.column("issue_ids")),
            createdAt: try row.column("created_at"))
    }
}
