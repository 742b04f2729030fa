import Foundation

/// What a heartbeat changes beyond its own row and its monitor's state: a success resolves the
/// monitor's missed-run issue, a failure records one, and a run much slower than the last
/// successful ones raises an insight.
package struct HeartbeatPlan {
    package enum IssueChange {
        case resolve(kind: IssueKind, fingerprint: String)
        case record(IssueOccurrence)
    }

    /// The monitor as issues and insights name it.
    package struct Monitor {
        package var slug: String
        package var organizationID: String
        package var projectSlug: String

        package init(slug: String, organizationID: String, projectSlug: String) {
            self.slug = slug
            self.organizationID = organizationID
            self.projectSlug = projectSlug
        }
    }

    package var issueChange: IssueChange
    package var slowRun: Insight?

    package init(heartbeat: HeartbeatRecord, monitor: Monitor, previousSuccessfulDurations previous: [Double]) {
        switch heartbeat.status {
        case .success:
            issueChange = .resolve(kind: .missedHeartbeat, fingerprint: MonitorIssues.fingerprint(monitorSlug: monitor.slug))
        case .failed:
            issueChange = .record(MonitorIssues.failed(monitorSlug: monitor.slug, message: heartbeat.message, ts: heartbeat.ts))
        }
        if let duration = heartbeat.durationMs, MonitorIssues.isSlow(durationMs: duration, previousSuccessfulDurations: previous) {
            slowRun = MonitorIssues.slowRunInsight(
                id: UUID().uuidString.lowercased(), organizationID: monitor.organizationID, projectSlug: monitor.projectSlug,
                monitorSlug: monitor.slug, durationMs: duration, previous: previous, ts: heartbeat.ts)
        }
    }
}
