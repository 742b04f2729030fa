import AsyncAlgorithms
import Logging
import ServiceLifecycle

/// Re-evaluates every monitor's status on a timer, so `late` and `missed` are recorded even when
/// no heartbeat arrives. Reads evaluate live as well; this keeps the stored state current.
public struct MonitorEvaluator: Service {
    let store: any MonitorStore
    let issues: any IssueStore
    let clock: WallClock
    let interval: Duration
    let logger: Logger
    /// Set in a server: the pass runs only on the node that holds this work's lease.
    let leases: LeaseKeeper?

    public init(
        store: any MonitorStore, issues: any IssueStore, clock: WallClock, interval: Duration = .seconds(10), logger: Logger,
        leases: LeaseKeeper? = nil
    ) {
        self.store = store
        self.issues = issues
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.leases = leases
    }

    /// One pass: the monitors whose status or next run changed are written back, and a monitor
    /// that just went `missed` counts one missed run on its issue (not one per pass).
    public func evaluateAll() async throws {
        let now = clock.nowMilliseconds()
        var changed: [String: MonitorEvaluation] = [:]
        var missed: [(Monitor, MonitorEvaluation)] = []
        for monitor in try await store.monitors(projectSlug: nil) {
            let evaluation = monitor.evaluated(at: now)
            if evaluation.status != monitor.status || evaluation.nextExpectedAt != monitor.nextExpectedAt {
                changed[monitor.id] = evaluation
                if evaluation.status == .missed, monitor.status != .missed { missed.append((monitor, evaluation)) }
            }
        }
        if !changed.isEmpty { try await store.update(changed) }
        for (monitor, _) in missed {
            let occurrence = MonitorIssues.missed(monitorSlug: monitor.slug, expectedAt: monitor.nextExpectedAt, now: now)
            try await issues.record([occurrence], projectID: monitor.projectID, now: now)
        }
    }

    public func run() async throws {
        await periodically(every: interval, lease: leases.map { ($0, .monitorEvaluation) }, logger: logger, failure: "monitor evaluation failed") {
            try await evaluateAll()
        }
    }
}
