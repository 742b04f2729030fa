import PostgresNIO
import SextantCore

/// The webhook outbox: rows are queued by the transaction that changed the issue, and delivered
/// by the one node holding the alert-delivery lease.
public struct PostgresAlertOutbox: AlertStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    /// Queues the alert an issue's transition raises for every webhook of the project subscribed to it.
    static func enqueue(_ transition: IssueTransition, issueID: String, projectID: Int64, now: Int64, tx: PostgresTransaction) async throws {
        let hooks = try await webhooks(projectID: projectID, tx: tx)
        guard !hooks.isEmpty, let issue = try await PostgresIssueStore.fetchIssue(id: issueID, organizationID: nil, run: tx.rows),
              let event = AlertEvent(transition: transition, kind: issue.kind) else { return }
        try await queue(AlertMessage.body(event: event, issue: issue, now: now), event: event, hooks: hooks, now: now, tx: tx)
    }

    static func enqueueBugReport(_ event: IngestEvent, projectID: Int64, now: Int64, tx: PostgresTransaction) async throws {
        let hooks = try await webhooks(projectID: projectID, tx: tx)
        guard !hooks.isEmpty, let slug = try await tx.rows("SELECT slug FROM projects WHERE id = \(projectID)").first?.decode(String.self)
        else { return }
        try await queue(AlertMessage.bugReportBody(projectSlug: slug, event: event, now: now), event: .bugReport, hooks: hooks, now: now, tx: tx)
    }

    private static func webhooks(projectID: Int64, tx: PostgresTransaction) async throws -> [(url: String, events: [String])] {
        try await tx.rows("SELECT url, events FROM webhooks WHERE project_id = \(projectID) ORDER BY url").map { row in
            let (url, events) = try row.decode((String, String).self)
            return (url, StoredList.decode(events))
        }
    }

    private static func queue(_ body: String, event: AlertEvent, hooks: [(url: String, events: [String])], now: Int64, tx: PostgresTransaction) async throws {
        for hook in hooks where hook.events.contains(event.rawValue) {
            try await tx.execute("INSERT INTO alert_outbox (url, body, next_attempt_at, created_at) VALUES (\(hook.url), \(body), \(now), \(now))")
        }
    }

    public func dueAlerts(now: Int64, limit: Int) async throws -> [PendingAlert] {
        try await database.rows("""
            SELECT id, url, body, attempts FROM alert_outbox
            WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= \(now) ORDER BY next_attempt_at, id LIMIT \(Int64(limit))
            """).map { row in
            let (id, url, body, attempts) = try row.decode((Int64, String, String, Int64).self)
            return PendingAlert(id: id, url: url, body: body, attempts: Int(attempts))
        }
    }

    public func markDelivered(id: Int64, now: Int64) async throws {
        try await database.execute("UPDATE alert_outbox SET delivered_at = \(now), attempts = attempts + 1 WHERE id = \(id)")
    }

    public func markFailed(id: Int64, error: String, retryAt: Int64?, now: Int64) async throws {
        try await database.execute("""
            UPDATE alert_outbox SET attempts = attempts + 1, last_error = \(error), next_attempt_at = coalesce(\(retryAt)::bigint, next_attempt_at),
                failed_at = CASE WHEN \(retryAt)::bigint IS NULL THEN \(now) ELSE NULL END
            WHERE id = \(id)
            """)
    }
}
