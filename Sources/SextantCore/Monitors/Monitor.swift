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

    /// The status at `now`, from the schedule and the last heartbeat.
    public func evaluated(at now: Int64) -> MonitorEvaluation {
        guard let parsed = try? MonitorSchedule(parsing: schedule) else {
            return MonitorEvaluation(status: status, nextExpectedAt: nextExpectedAt)
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
        return HeartbeatRecord(monitorID: id, ts: now, status: status, durationMs: durationMs, message: message, evaluation: pinged.evaluated(at: now))
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
    func create(projectSlug: String, slug: String, schedule: String, graceSeconds: Int64, now: Int64) async throws -> Monitor
    /// Creates the monitor or changes its schedule and grace, in one statement (a Sentry
    /// check-in's `monitor_config`); its history and status are kept.
    func configure(projectID: Int64, slug: String, schedule: String, graceSeconds: Int64, now: Int64) async throws -> Monitor
    func monitors(projectSlug: String?) async throws -> [Monitor]
    func monitor(projectID: Int64, slug: String) async throws -> Monitor?
    func delete(projectSlug: String, slug: String) async throws -> Bool
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
