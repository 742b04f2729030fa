import GRDB

public struct SQLiteInsightStore: InsightStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    static let selectInsights = "SELECT insights.*, projects.slug AS project_slug FROM insights JOIN projects ON projects.id = insights.project_id"

    public func insights(organizationID: String?, after: PageCursor?, limit: Int) async throws -> Page<Insight> {
        try await database.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            SQLiteKeysetPage.equal("insights.organization_id", organizationID, into: &conditions, &arguments)
            return try SQLiteKeysetPage.fetch(
                db, select: Self.selectInsights, table: "insights", conditions: conditions, arguments: arguments, after: after, limit: limit,
                item: Self.insight(from:), key: { PageCursor(createdAt: $0.createdAt, id: $0.id) })
        }
    }

    public func save(_ insight: Insight, projectID: Int64) async throws -> Bool {
        try await database.write { db in try Self.insert(insight, projectID: projectID, db: db) }
    }

    @discardableResult
    static func insert(_ insight: Insight, projectID: Int64, db: Database) throws -> Bool {
        try db.execute(sql: """
            INSERT OR IGNORE INTO insights (id, organization_id, project_id, period, interval_start, interval_end, sessions_count, kind,
                title, severity, content_preview, findings, issue_ids, created_at)
            SELECT ?, organization_id, id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM projects WHERE id = ?
            """, arguments: [
                insight.id, insight.kind.rawValue, insight.intervalStart, insight.intervalEnd, insight.sessionsCount, insight.kind.rawValue,
                insight.title, insight.severity.rawValue, insight.contentPreview, InsightFinding.encode(insight.findings),
                StoredList.encode(insight.issueIDs), insight.createdAt, projectID,
            ])
        return db.changesCount > 0
    }

    public func hasInsight(projectID: Int64, kind: Insight.Kind, intervalStart: Int64) async throws -> Bool {
        try await database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM insights WHERE project_id = ? AND period = ? AND interval_start = ?)",
                              arguments: [projectID, kind.rawValue, intervalStart]) ?? false
        }
    }

    public func digestInputs(projectID: Int64, from: Int64, to: Int64) async throws -> DigestInputs {
        let week: Int64 = 7 * 86_400_000
        return try await database.read { db in
            var inputs = DigestInputs()
            inputs.sessions = try Int64.fetchOne(db, sql: """
                SELECT count(*) FROM sessions WHERE last_seen >= ? AND started_at < ? AND project_id = ?
                """, arguments: [from, to, projectID]) ?? 0
            let hour: Int64 = 3_600_000
            inputs.errors = try Int64.fetchOne(db, sql: """
                SELECT coalesce(sum(count), 0) FROM occurrence_hours WHERE project_id = ? AND kind = 'error' AND hour >= ? AND hour < ?
                """, arguments: [projectID, from / hour, to / hour]) ?? 0
            let baselineTotal = try Int64.fetchOne(db, sql: """
                SELECT coalesce(sum(count), 0) FROM occurrence_hours WHERE project_id = ? AND kind = 'error' AND hour >= ? AND hour < ?
                """, arguments: [projectID, (from - week) / hour, from / hour]) ?? 0
            inputs.errorBaseline = Double(baselineTotal) * Double(to - from) / Double(week)
            let issues = SQLiteIssueStore.selectIssues
            inputs.newIssues = try Row.fetchAll(db, sql: """
                \(issues) WHERE issues.project_id = ? AND issues.created_at >= ? AND issues.created_at < ? ORDER BY issues.count DESC LIMIT 20
                """, arguments: [projectID, from, to]).map(SQLiteIssueStore.issue(from:))
            inputs.regressedIssues = try Row.fetchAll(db, sql: """
                \(issues) WHERE issues.project_id = ? AND issues.regressed_at >= ? AND issues.regressed_at < ? ORDER BY issues.count DESC LIMIT 20
                """, arguments: [projectID, from, to]).map(SQLiteIssueStore.issue(from:))
            inputs.clickHotspots = try Row.fetchAll(db, sql: """
                \(issues) WHERE issues.project_id = ? AND issues.kind IN ('rage_click', 'dead_click') AND issues.updated_at >= ?
                    AND issues.updated_at < ? ORDER BY issues.count DESC LIMIT 5
                """, arguments: [projectID, from, to]).map(SQLiteIssueStore.issue(from:))
            inputs.failingMonitors = try Row.fetchAll(db, sql: """
                SELECT slug, status FROM monitors WHERE project_id = ? AND status IN ('missed', 'failed') ORDER BY slug
                """, arguments: [projectID]).map { MonitorDigest(slug: $0["slug"], status: $0["status"]) }
            inputs.endpoints = try Self.endpointComparisons(projectID: projectID, from: from, to: to, baselineFrom: from - week, db: db)
            return inputs
        }
    }

    /// p95 per endpoint in the interval and over the seven days before it, from one ordered pass.
    static func endpointComparisons(projectID: Int64, from: Int64, to: Int64, baselineFrom: Int64, db: Database) throws -> [EndpointComparison] {
        struct Key: Hashable { var method, host, route: String }
        var current: [Key: [Double]] = [:]
        var baseline: [Key: [Double]] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT method, host, route, duration_ms, ts >= ? AS recent FROM http_requests
            WHERE ts >= ? AND ts < ? AND project_id = ? AND direction = 'inbound'
            """, arguments: [from, baselineFrom, to, projectID])
        while let row = try rows.next() {
            let key = Key(method: row[0], host: row[1], route: row[2])
            if row[4] as Bool { current[key, default: []].append(row[3]) } else { baseline[key, default: []].append(row[3]) }
        }
        return current.map { key, durations in
            let before = (baseline[key] ?? []).sorted()
            return EndpointComparison(
                method: key.method, host: key.host, route: key.route, count: Int64(durations.count), p95: Percentile.of(durations.sorted(), 0.95),
                baselineCount: Int64(before.count), baselineP95: before.isEmpty ? 0 : Percentile.of(before, 0.95))
        }.sorted { $0.name < $1.name }
    }

    static func insight(from row: Row) -> Insight {
        Insight(
            id: row["id"], organizationID: row["organization_id"], projectSlug: row["project_slug"],
            kind: Insight.Kind(rawValue: row["kind"]) ?? .hourlyDigest, intervalStart: row["interval_start"], intervalEnd: row["interval_end"],
            sessionsCount: row["sessions_count"], title: row["title"], severity: Insight.Severity(rawValue: row["severity"]) ?? .info,
            contentPreview: row["content_preview"], findings: InsightFinding.decode(row["findings"]),
            issueIDs: StoredList.decode(row["issue_ids"]), createdAt: row["created_at"])
    }
}
