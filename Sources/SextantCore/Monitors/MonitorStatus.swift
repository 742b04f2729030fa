/// A cron monitor's health (API.md §8).
public enum MonitorStatus: String, Sendable, CaseIterable {
    /// Never pinged and not yet due.
    case pending
    case healthy
    /// Past due, within the grace period.
    case late
    /// Past due and past grace; a monitor that never pinged goes missed too.
    case missed
    /// The last heartbeat reported failure.
    case failed
    /// Paused by hand: nothing is expected until the next heartbeat.
    case paused
}

public enum HeartbeatStatus: String, Sendable {
    case success, failed
}

/// What status follows from a monitor's schedule and its last heartbeat at `now`.
public struct MonitorEvaluation: Sendable, Equatable {
    public var status: MonitorStatus
    public var nextExpectedAt: Int64?

    /// The next run counts from the last heartbeat, success or failure, else from creation.
    public static func evaluate(
        schedule: MonitorSchedule, graceSeconds: Int64, createdAt: Int64, lastPingAt: Int64?, lastStatus: HeartbeatStatus?, now: Int64
    ) -> MonitorEvaluation {
        let next = schedule.nextRun(after: lastPingAt ?? createdAt)
        if lastStatus == .failed { return MonitorEvaluation(status: .failed, nextExpectedAt: next) }
        guard let next else { return MonitorEvaluation(status: lastPingAt == nil ? .pending : .healthy, nextExpectedAt: nil) }
        if now < next { return MonitorEvaluation(status: lastPingAt == nil ? .pending : .healthy, nextExpectedAt: next) }
        if now <= next + graceSeconds * 1000 { return MonitorEvaluation(status: .late, nextExpectedAt: next) }
        return MonitorEvaluation(status: .missed, nextExpectedAt: next)
    }
}
