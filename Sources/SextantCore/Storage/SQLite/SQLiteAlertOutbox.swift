import GRDB

/// The webhook outbox in SQLite: rows are queued by the transaction that changed the issue.
public struct SQLiteAlertOutbox: AlertStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    /// Queues the alert an issue's transition raises for every webhook of the project subscribed to it.
    static func enqueue(_ transition: IssueTransition, issueID: String, projectID: Int64, now: Int64, db: Database) throws {
        let hooks = try Row.fetchAll(db.cachedStatement(sql: "SELECT url, events FROM webhooks WHERE project_id = ?"), arguments: [projectID])
        guard !hooks.isEmpty, let issue = try SQLiteIssueStore.fetchIssue(id: issueID, organizationID: nil, db: db),
              let event = AlertEvent(transition: transition, kind: issue.kind) else { return }
        try queue(AlertMessage.body(event: event, issue: issue, now: now), event: event, hooks: hooks, now: now, db: db)
    }

    static func enqueueBugReport(_ event: IngestEvent, projectID: Int64, now: Int64, db: Database) throws {
        let hooks = try Row.fetchAll(db.cachedStatement(sql: "SELECT url, events FROM webhooks WHERE project_id = ?"), arguments: [projectID])
        guard !hooks.isEmpty, let slug = try String.fetchOne(db, sql: "SELECT slug FROM projects WHERE id = ?", arguments: [projectID]) else { return }
        try queue(AlertMessage.bugReportBody(projectSlug: slug, event: event, now: now), event: .bugReport, hooks: hooks, now: now, db: db)
    }

    private static func queue(_ body: String, event: AlertEvent, hooks: [Row], now: Int64, db: Database) throws {
        for hook in hooks where StoredList.decode(hook["events"]).contains(event.rawValue) {
            try db.execute(sql: "INSERT INTO alert_outbox (url, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [hook["url"] as String, body, now, now])
        }
    }

    public func dueAlerts(now: Int64, limit: Int) async throws -> [PendingAlert] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, url, body, attempts FROM alert_outbox
                WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
                """, arguments: [now, limit]).map { row in
                PendingAlert(id: row["id"], url: row["url"], body: row["body"], attempts: row["attempts"])
            }
        }
    }

    public func markDelivered(id: Int64, now: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE alert_outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?", arguments: [now, id])
        }
    }

    public func markFailed(id: Int64, error: String, retryAt: Int64?, now: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at),
                    failed_at = CASE WHEN ? IS NULL THEN ? ELSE NULL END
                WHERE id = ?
                """, arguments: [error, retryAt, retryAt, now, id])
        }
    }
}
