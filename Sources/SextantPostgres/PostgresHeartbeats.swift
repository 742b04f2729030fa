import PostgresNIO
import SextantCore

/// A monitor's check-in: its row, the monitor's new state, and what the domain's `HeartbeatPlan`
/// decides about its issue and a slow run.
enum PostgresHeartbeats {
    static func insert(_ heartbeat: HeartbeatRecord, receivedAt: Int64, tx: PostgresTransaction) async throws {
        let previous = try await tx.rows("""
            SELECT duration_ms FROM heartbeats WHERE monitor_id = \(heartbeat.monitorID) AND status = 'success' AND duration_ms IS NOT NULL
            ORDER BY ts DESC LIMIT \(Int64(MonitorIssues.slowRunWindow))
            """).map { try $0.decode(Double.self) }
        try await tx.execute("""
            INSERT INTO heartbeats (monitor_id, ts, status, duration_ms, message)
            VALUES (\(heartbeat.monitorID), \(heartbeat.ts), \(heartbeat.status.rawValue), \(heartbeat.durationMs), \(heartbeat.message))
            """)
        try await tx.execute("""
            UPDATE monitors SET last_ping_at = \(heartbeat.ts), last_status = \(heartbeat.status.rawValue), last_duration_ms = \(heartbeat.durationMs),
                status = \(heartbeat.evaluation.status.rawValue), next_expected_at = \(heartbeat.evaluation.nextExpectedAt), paused_at = NULL
            WHERE id = \(heartbeat.monitorID)
            """)
        guard let monitor = try await tx.rows("""
            SELECT monitors.slug, monitors.project_id, projects.slug, projects.organization_id FROM monitors
            JOIN projects ON projects.id = monitors.project_id WHERE monitors.id = \(heartbeat.monitorID)
            """).first else { return }
        let (slug, projectID, projectSlug, organizationID) = try monitor.decode((String, Int64, String, String).self)
        let plan = HeartbeatPlan(
            heartbeat: heartbeat, monitor: .init(slug: slug, organizationID: organizationID, projectSlug: projectSlug),
            previousSuccessfulDurations: previous)
        switch plan.issueChange {
        case .resolve(let kind, let fingerprint):
            try await PostgresIssueRecorder.resolve(kind: kind, fingerprint: fingerprint, projectID: projectID, now: receivedAt, tx: tx)
        case .record(let occurrence):
            try await PostgresIssueRecorder.record(occurrence, projectID: projectID, now: receivedAt, tx: tx)
        }
        if let insight = plan.slowRun { try await PostgresInsightStore.insert(insight, projectID: projectID, tx: tx) }
    }
}
