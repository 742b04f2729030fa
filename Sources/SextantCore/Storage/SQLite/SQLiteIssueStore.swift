import GRDB

public struct SQLiteIssueStore: IssueStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    static let selectIssues = "SELECT issues.*, projects.slug AS project_slug FROM issues JOIN projects ON projects.id = issues.project_id"

    public func issues(_ filter: IssueFilter) async throws -> Page<Issue> {
        try await database.read { db in
            var (conditions, arguments) = Self.conditions(filter)
            SQLiteKeysetPage.equal("issues.status", filter.status?.rawValue, into: &conditions, &arguments)
            let order: String
            switch filter.sort {
            case .newest:
                return try SQLiteKeysetPage.fetch(
                    db, select: Self.selectIssues, table: "issues", conditions: conditions, arguments: arguments, after: filter.after,
                    limit: filter.limit, item: Self.issue(from:), key: { PageCursor(createdAt: $0.createdAt, id: $0.id) })
            case .lastSeen: order = "issues.last_seen"
            case .events: order = "issues.count"
            case .users: order = "issues.user_count"
            }
            let rows = try Row.fetchAll(db, sql: """
                \(Self.selectIssues) WHERE \(conditions.isEmpty ? "1" : conditions.joined(separator: " AND "))
                ORDER BY \(order) DESC, issues.id DESC LIMIT ?
                """, arguments: arguments + [filter.limit])
            return Page(items: rows.map(Self.issue(from:)), next: nil)
        }
    }

    public func statusCounts(_ filter: IssueFilter) async throws -> [IssueStatus: Int] {
        try await database.read { db in
            let (conditions, arguments) = Self.conditions(filter)
            let rows = try Row.fetchAll(db, sql: """
                SELECT issues.status, count(*) FROM issues JOIN projects ON projects.id = issues.project_id
                WHERE \(conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")) GROUP BY issues.status
                """, arguments: arguments)
            var counts = Dictionary(uniqueKeysWithValues: IssueStatus.allCases.map { ($0, 0) })
            for row in rows { if let status = IssueStatus(rawValue: row[0]) { counts[status] = row[1] } }
            return counts
        }
    }

    /// Every condition of the filter but its status and its page.
    private static func conditions(_ filter: IssueFilter) -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        SQLiteKeysetPage.equal("issues.organization_id", filter.organizationID, into: &conditions, &arguments)
        SQLiteKeysetPage.equal("issues.kind", filter.kind?.rawValue, into: &conditions, &arguments)
        SQLiteKeysetPage.equal("projects.slug", filter.projectSlug, into: &conditions, &arguments)
        if let from = filter.from {
            conditions.append("issues.last_seen >= ?")
            arguments += [from]
        }
        if let to = filter.to {
            conditions.append("issues.first_seen <= ?")
            arguments += [to]
        }
        if let search = filter.search {
            conditions.append("(instr(lower(issues.title), lower(?)) > 0 OR instr(lower(coalesce(issues.culprit, '')), lower(?)) > 0)")
            arguments += [search, search]
        }
        return (conditions, arguments)
    }

    public func issue(id: String, organizationID: String?) async throws -> Issue? {
        try await database.read { db in try Self.fetchIssue(id: id, organizationID: organizationID, db: db) }
    }

    public func updateIssue(id: String, organizationID: String?, patch: IssuePatch, now: Int64) async throws -> Issue? {
        try await database.write { db in
            guard try Self.fetchIssue(id: id, organizationID: organizationID, db: db) != nil else { return nil }
            try db.execute(sql: """
                UPDATE issues SET status = ?, ticket_provider = coalesce(?, ticket_provider), ticket_url = coalesce(?, ticket_url),
                    ticket_identifier = coalesce(?, ticket_identifier), updated_at = ?
                WHERE id = ?
                """, arguments: [patch.status.rawValue, patch.ticketProvider, patch.ticketURL, patch.ticketIdentifier, now, id])
            return try Self.fetchIssue(id: id, organizationID: organizationID, db: db)
        }
    }

    public func record(_ occurrences: [IssueOccurrence], projectID: Int64, now: Int64) async throws -> [IssueTransition] {
        try await database.write { db in
            try occurrences.map { try SQLiteIssueRecorder.record($0, projectID: projectID, now: now, db: db) }
        }
    }

    public func activity(issueID: String, from: Int64?, to: Int64?) async throws -> IssueActivity {
        try await database.read { db in try SQLiteIssueActivity.activity(issueID: issueID, from: from, to: to, db: db) }
    }

    public func breadcrumbs(sessionID: String, projectSlug: String, through ts: Int64, limit: Int) async throws -> [Breadcrumb] {
        try await database.read { db in
            // The sessions row bounds the time index, as every session query does (no session index on events).
            let rows = try Row.fetchAll(db, sql: """
                SELECT events.ts, events.type, events.name, events.url FROM sessions
                JOIN projects ON projects.id = sessions.project_id
                JOIN events ON events.project_id = sessions.project_id AND events.session_id = sessions.session_id
                    AND events.ts BETWEEN sessions.started_at AND min(sessions.last_seen, ?)
                WHERE projects.slug = ? AND sessions.session_id = ?
                ORDER BY events.ts DESC, events.id DESC LIMIT ?
                """, arguments: [ts, projectSlug, sessionID, limit])
            return rows.reversed().compactMap { row in
                guard let type = EventType(rawValue: row["type"]) else { return nil }
                return Breadcrumb(ts: row["ts"], type: type, name: row["name"], url: row["url"])
            }
        }
    }

    static func fetchIssue(id: String, organizationID: String?, db: Database) throws -> Issue? {
        var sql = "\(selectIssues) WHERE issues.id = ?"
        var arguments: StatementArguments = [id.lowercased()]
        if let organizationID {
            sql += " AND issues.organization_id = ?"
            arguments += [organizationID]
        }
        return try Row.fetchOne(db, sql: sql, arguments: arguments).map(issue(from:))
    }

    static func issue(from row: Row) -> Issue {
        let level: String = row["level"]
        return Issue(
            id: row["id"], organizationID: row["organization_id"], projectSlug: row["project_slug"],
            kind: IssueKind(rawValue: row["kind"]) ?? .error, fingerprint: row["fingerprint"], title: row["title"],
            description: row["description"], culprit: row["culprit"], level: level,
            status: IssueStatus(rawValue: row["status"]) ?? .unresolved,
            priority: IssuePriority(rawValue: row["priority"]) ?? IssuePriority(level: level), count: row["count"],
            userCount: row["user_count"], sessionCount: row["session_count"], firstSeen: row["first_seen"], lastSeen: row["last_seen"],
            sampleSessionID: row["sample_session_id"], sampleEventID: row["sample_event_id"], sampleTs: row["sample_ts"],
            ticketProvider: row["ticket_provider"], ticketURL: row["ticket_url"], ticketIdentifier: row["ticket_identifier"],
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
