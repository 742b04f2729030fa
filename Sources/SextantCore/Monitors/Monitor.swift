/// A cron monitor as stored.
public struct Monitor: Sendable, Equatable {
    public var id: String
    public var projectID: Int64
    public var projectSlug: String
    public var slug: String
    public var schedule: String
    public var graceSeconds: Int64
    public var createdAt: Int64
    public var status: MonitorStatus
    public var lastPingAt: Int64?
    public var lastStatus: HeartbeatStatus?
    public var lastDurationMs: Double?
    public var nextExpectedAt: Int64?
    /// Set while someone paused the monitor: it expects nothing and alerts on nothing until its next heartbeat.
    public var pausedAt: Int64? = nil
    /// When it was last resumed: runs are expected from then, as if it had just been created.
    public var resumedAt: Int64? = nil
    /// `config` when the configuration file declares it (it comes back at every start).
    public var source: String = RecordSource.cli.rawValue

    package init(
        id: String, projectID: Int64, projectSlug: String, slug: String, schedule: String, graceSeconds: Int64, createdAt: Int64,
        status: MonitorStatus, lastPingAt: Int64?, lastStatus: HeartbeatStatus?, lastDurationMs: Double?, nextExpectedAt: Int64?,
        pausedAt: Int64? = nil, resumedAt: Int64? = nil, source: String = RecordSource.cli.rawValue
    ) {
        self.id = id
        self.projectID = projectID
        self.projectSlug = projectSlug
        self.slug = slug
        self.schedule = schedule
        self.graceSeconds = graceSeconds
        self.createdAt = createdAt
        self.status = status
        self.lastPingAt = lastPingAt
        self.lastStatus = lastStatus
        self.lastDurationMs = lastDurationMs
        self.nextExpectedAt = nextExpectedAt
        self.pausedAt = pausedAt
        self.resumedAt = resumedAt
        self.source = source
    }

    /// The status at `now`, from the schedule and the last heartbeat.
    public func evaluated(at now: Int64) -> MonitorEvaluation {
        if pausedAt != nil { return MonitorEvaluation(status: .paused, nextExpectedAt: nil) }
        guard let parsed = try? MonitorSchedule(parsing: schedule) else {
            return MonitorEvaluation(status: status, nextExpectedAt: nextExpectedAt)
        }
        if let resumedAt, resumedAt > (lastPingAt ?? createdAt) {
            // Nothing since the resume counts against it; the runs before the pause are history.
            let next = MonitorEvaluation.evaluate(
                schedule: parsed, graceSeconds: graceSeconds, createdAt: resumedAt, lastPingAt: nil, lastStatus: nil, now: now)
            return next.status == .pending && lastPingAt != nil ? MonitorEvaluation(status: .healthy, nextExpectedAt: next.nextExpectedAt) : next
        }
        return MonitorEvaluation.evaluate(
            schedule: parsed, graceSeconds: graceSeconds, createdAt: createdAt, lastPingAt: lastPingAt, lastStatus: lastStatus, now: now)
    }
}

/// A monitor in the configuration file (`projects[].monitors`).
public struct MonitorConfig: Sendable, Equatable, Decodable {
    public var slug: String
    public var schedule: String
    /// Default 300 (API.md §8).
    public var graceSeconds: Int64

    public init(slug: String, schedule: String, graceSeconds: Int64 = 300) {
        self.slug = slug
        self.schedule = schedule
        self.graceSeconds = graceSeconds
    }

    enum CodingKeys: String, CodingKey {
        case slug, schedule
        case graceSeconds = "grace_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        slug = try c.decode(String.self, forKey: .slug)
        schedule = try c.decode(String.self, forKey: .schedule)
        graceSeconds = try c.decodeIfPresent(Int64.self, forKey: .graceSeconds) ?? 300
    }
}

extension Monitor {
    /// A run reported now, with the state the monitor is in after it (SeeStack heartbeats, Sentry check-ins).
    public func heartbeat(status: HeartbeatStatus, durationMs: Double?, message: String?, at now: Int64) -> HeartbeatRecord {
        var pinged = self
        pinged.lastPingAt = now
        pinged.lastStatus = status
        // As on Healthchecks, a run resumes a paused monitor.
        pinged.pausedAt = nil
        return HeartbeatRecord(monitorID: id, ts: now, status: status, durationMs: durationMs, message: message, evaluation: pinged.evaluated(at: now))
    }
}

/// A stored heartbeat, as the monitor's history lists it.
public struct Heartbeat: Sendable, Equatable {
    public var ts: Int64
    public var status: HeartbeatStatus
    public var durationMs: Double?
    public var message: String?

    public init(ts: Int64, status: HeartbeatStatus, durationMs: Double?, message: String?) {
        self.ts = ts
        self.status = status
        self.durationMs = durationMs
        self.message = message
    }
}

/// One heartbeat, with the monitor state it leads to.
public struct HeartbeatRecord: Sendable, Equatable {
    public var monitorID: String
    public var ts: Int64
    public var status: HeartbeatStatus
    public var durationMs: Double?
    public var message: String?
    public var evaluation: MonitorEvaluation

    public init(monitorID: String, ts: Int64, status: HeartbeatStatus, durationMs: Double?, message: String?, evaluation: MonitorEvaluation) {
        self.monitorID = monitorID
        self.ts = ts
        self.status = status
        self.durationMs = durationMs
        self.message = message
        self.evaluation = evaluation
    }
}

public protocol MonitorStore: Sendable {
    /// Upserts every configured monitor (a changed schedule or grace is updated).
    func applyConfiguration(_ organizations: [OrganizationConfig], now: Int64) async throws
    func create(projectSlug: String, slug: String, schedule: String, graceSeconds: Int64, source: RecordSource, now: Int64) async throws -> Monitor
    /// Creates the monitor or changes its schedule and grace, in one statement (a Sentry
    /// check-in's `monitor_config`); its history and status are kept.
    func configure(projectID: Int64, slug: String, schedule: String, graceSeconds: Int64, now: Int64) async throws -> Monitor
    func monitors(projectSlug: String?) async throws -> [Monitor]
    func monitor(projectID: Int64, slug: String) async throws -> Monitor?
    func delete(projectSlug: String, slug: String) async throws -> Bool
    func monitor(id: String) async throws -> Monitor?
    /// Deletes the monitor and its heartbeats; false when no monitor has that id.
    func delete(id: String) async throws -> Bool
    /// Pauses or resumes; nil when no monitor has that id.
    func setPaused(id: String, paused: Bool, now: Int64) async throws -> Monitor?
    /// The monitor's latest heartbeats, newest first.
    func heartbeats(monitorID: String, limit: Int) async throws -> [Heartbeat]
    /// Stores evaluated statuses (the evaluator's periodic pass).
    func update(_ evaluations: [String: MonitorEvaluation]) async throws
}

public enum MonitorError: Error, Equatable, CustomStringConvertible {
    case duplicate(String)
    case invalidSchedule(String)

    public var description: String {
        switch self {
        case .duplicate(let slug): "monitor \"\(slug)\" already exists in that project"
        case .invalidSchedule(let reason): "invalid schedule: \(reason)"
        }
    }
}
