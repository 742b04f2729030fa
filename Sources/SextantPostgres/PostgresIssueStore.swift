import PostgresNIO
import SextantCore

public struct PostgresIssueStore: IssueStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    static let selectIssues = "SELECT issues.*, projects.slug AS project_slug FROM issues JOIN projects ON projects.id = issues.project_id"

    public func issues(_ filter: IssueFilter) async throws -> Page<Issue> {
        var conditions = Self.conditions(filter)
        conditions.equal("issues.status", filter.status?.rawValue)
        let order: String
        switch filter.sort {
        case .newest:
            return try await PostgresKeysetPage.fetch(
                database, select: Self.selectIssues, table: "issues", filter: conditions, after: filter.after, limit: filter.limit,
                item: Self.issue(from:), key: { PageCursor(createdAt: $0.createdAt, id: $0.id) })
        case .lastSeen: order = "issues.last_seen"
        case .events: order = "issues.count"
        case .users: order = "issues.user_count"
        }
        var statement = conditions.query(Self.selectIssues)
        statement.append(" ORDER BY \(order) DESC, issues.id DESC LIMIT \(statement.bind(filter.limit))")
        return Page(items: try await database.rows(statement.query).map(Self.issue(from:)), next: nil)
    }

    public func statusCounts(_ filter: IssueFilter) async throws -> [IssueStatus: Int] {
        var statement = Self.conditions(filter).query(
            "SELECT issues.status, count(*) FROM issues JOIN projects ON projects.id = issues.project_id")
        statement.append(" GROUP BY issues.status")
        var counts = Dictionary(uniqueKeysWithValues: IssueStatus.allCases.map { ($0, 0) })
        for row in try await database.rows(statement.query) {
            let (status, count) = try row.decode((String, Int64).self)
            if let status = IssueStatus(rawValue: status) { counts[status] = Int(count) }
        }
        return counts
    }

    /// Every condition of the filter but its status and its page.
    private static func conditions(_ filter: IssueFilter) -> PostgresFilter {
        var conditions = PostgresFilter()
        conditions.equal("issues.organization_id", filter.organizationID)
        conditions.equal("issues.kind", filter.kind?.rawValue)
        conditions.equal("projects.slug", filter.projectSlug)
        if let from = filter.from { conditions.add { "issues.last_seen >= \($0(from))" } }
        if let to = filter.to { conditions.add { "issues.first_seen <= \($0(to))" } }
        if let search = filter.search {
            // A substring, any case, as SQLite's instr(lower(…)) finds it; strpos takes no pattern characters.
            conditions.add { bind in
                let text = bind(search.lowercased())
                return "(strpos(lower(issues.title), \(text)) > 0 OR strpos(lower(coalesce(issues.culprit, '')), \(text)) > 0)"
            }
        }
        return conditions
    }

    public func issue(id: String, organizationID: String?) async throws -> Issue? {
        try await Self.fetchIssue(id: id, organizationID: organizationID, run: database.rows)
    }

    public func updateIssue(id: String, organizationID: String?, patch: IssuePatch, now: Int64) async throws -> Issue? {
        var statement = PostgresQueryBuilder()
        let values = (
            status: statement.bind(patch.status.rawValue), provider: statement.bind(patch.ticketProvider), url: statement.bind(patch.ticketURL),
            identifier: statement.bind(patch.ticketIdentifier), now: statement.bind(now), id: statement.bind(id.lowercased()))
        statement.append("""
            UPDATE issues SET status = \(values.status), ticket_provider = coalesce(\(values.provider), ticket_provider),
                ticket_url = coalesce(\(values.url), ticket_url), ticket_identifier = coalesce(\(values.identifier), ticket_identifier),
                updated_at = \(values.now)
            WHERE id = \(values.id)
            """)
        if let organizationID { statement.append(" AND organization_id = \(statement.bind(organizationID))") }
        statement.append(" RETURNING 1")
        guard try await !database.rows(statement.query).isEmpty else { return nil }
        return try await issue(id: id, organizationID: organizationID)
    }

    public func record(_ occurrences: [IssueOccurrence], projectID: Int64, now: Int64) async throws -> [IssueTransition] {
        try await database.transaction { tx in
            var transitions: [IssueTransition] = []
            for occurrence in occurrences {
                transitions.append(try await PostgresIssueRecorder.record(occurrence, projectID: projectID, now: now, tx: tx))
            }
            return transitions
        }
    }

    public func activity(issueID: String, from: Int64?, to: Int64?) async throws -> IssueActivity {
        try await PostgresIssueActivity.activity(issueID: issueID, from: from, to: to, database: database)
    }

    public func breadcrumbs(sessionID: String, projectSlug: String, through ts: Int64, limit: Int) async throws -> [Breadcrumb] {
        // The sessions row bounds the time index, as every session query does (no session index on events).
        let rows = try await database.rows("""
            SELECT events.ts, events.type, events.name, events.url FROM sessions
            JOIN projects ON projects.id = sessions.project_id
            JOIN events ON events.project_id = sessions.project_id AND events.session_id = sessions.session_id
                AND events.ts BETWEEN sessions.started_at AND LEAST(sessions.last_seen, \(ts))
            WHERE projects.slug = \(projectSlug) AND sessions.session_id = \(sessionID)
            ORDER BY events.ts DESC, events.id DESC LIMIT \(Int64(limit))
            """)
        return try rows.reversed().compactMap { row in
            let (ts, type, name, url) = try row.decode((Int64, String, String, String?).self)
            guard let type = EventType(rawValue: type) else { return nil }
            return Breadcrumb(ts: ts, type: type, name: name, url: url)
        }
    }

    /// The issue by id (any case), within the organization when one is given; `run` is the
    /// caller's transaction or the pool.
    static func fetchIssue(id: String, organizationID: String?, run: (PostgresQuery) async throws -> [PostgresRow]) async throws -> Issue? {
        var statement = PostgresQueryBuilder()
        statement.append("\(selectIssues) WHERE issues.id = \(statement.bind(id.lowercased()))")
        if let organizationID { statement.append(" AND issues.organization_id = \(statement.bind(organizationID))") }
        return try await run(statement.query).first.map(issue(from:))
    }

    static func issue(from row: PostgresRow) throws -> Issue {
        let level: String = try row.column("level")
        return Issue(
            id: try row.column("id"), organizationID: try row.column("organization_id"), projectSlug: try row.column("project_slug"),
            kind: IssueKind(rawValue: try row.column("kind")) ?? .error, fingerprint: try row.column("fingerprint"), title: try row.column("title"),
            description: try row.column("description"), culprit: try row.column("culprit"), level: level,
            status: IssueStatus(rawValue: try row.column("status")) ?? .unresolved,
            priority: IssuePriority(rawValue: try row.column("priority")) ?? IssuePriority(level: level), count: try row.column("count"),
            userCount: try row.column("user_count"), sessionCount: try row.column("session_count"), firstSeen: try row.column("first_seen"),
            lastSeen: try row.column("last_seen"), sampleSessionID: try row.column("sample_session_id"),
            sampleEventID: try row.column("sample_event_id"), sampleTs: try row.column("sample_ts"),
            ticketProvider: try row.column("ticket_provider"), ticketURL: try row.column("ticket_url"),
            ticketIdentifier: try row.column("ticket_identifier"), createdAt: try row.column("created_at"), updatedAt: try row.column("updated_at"))
    }
}
