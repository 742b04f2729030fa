/// A release an SDK registered (allstak's `/ingest/v1/releases`, Sentry's releases).
public struct ReleaseRecord: Sendable, Equatable {
    public var version: String
    public var environment: String
    public var commitSHA: String?
    public var branch: String?
    public var author: String?
    public var message: String?

    public init(version: String, environment: String) {
        self.version = version
        self.environment = environment
    }

    /// Environment of a release or session that names none (what the SDKs fall back to).
    public static let defaultEnvironment = "production"
}

/// How a release-health session ended. Statuses only escalate: a session that crashed is never
/// reported healthy by a later, older or retried update (the SDKs' rule, and Sentry's).
public enum ReleaseSessionStatus: String, Sendable, CaseIterable, Comparable {
    case ok, errored, abnormal, crashed

    package var severity: Int {
        switch self {
        case .ok: 0
        case .errored: 1
        case .abnormal: 2
        case .crashed: 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.severity < rhs.severity }

    /// The most severe of the two: what a session is after another report of it.
    public func merged(with other: Self) -> Self { max(self, other) }

    /// What an error reported from inside a session makes of it: a fatal one is a crash.
    public static func afterError(level: String) -> Self { level == "fatal" ? .crashed : .errored }
}

/// One process's run of a release, as its start or its end reported it.
public struct ReleaseSessionUpdate: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case started(release: String)
        case ended(status: ReleaseSessionStatus, durationMs: Double?)
    }

    public var sessionID: String
    public var phase: Phase
    public var ts: Int64
    public var environment: String?
    public var userID: String?
    public var sdk: String?
    public var platform: String?

    public init(sessionID: String, phase: Phase, ts: Int64) {
        self.sessionID = sessionID
        self.phase = phase
        self.ts = ts
    }
}

public struct ReleaseBatch: Sendable {
    public var projectID: Int64
    public var receivedAt: Int64
    public var releases: [ReleaseRecord]
    public var sessions: [ReleaseSessionUpdate]

    public init(projectID: Int64, receivedAt: Int64, releases: [ReleaseRecord] = [], sessions: [ReleaseSessionUpdate] = []) {
        self.projectID = projectID
        self.receivedAt = receivedAt
        self.releases = releases
        self.sessions = sessions
    }
}

/// A release and the health of its sessions (`GET /v1/releases`).
public struct ReleaseHealth: Sendable, Equatable {
    public var projectSlug: String
    public var release: ReleaseRecord
    /// When the release was first and last registered or seen in a session.
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var sessions: [ReleaseSessionStatus: Int]
    /// Sessions started and not yet ended: counted as healthy until they end.
    public var openSessions: Int

    public init(projectSlug: String, release: ReleaseRecord, firstSeen: Int64, lastSeen: Int64) {
        self.projectSlug = projectSlug
        self.release = release
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sessions = [:]
        self.openSessions = 0
    }

    public var sessionCount: Int { sessions.values.reduce(0, +) }

    /// Sentry's crash-free rate: the share of sessions that did not crash; nil with no sessions.
    public var crashFreeRate: Double? {
        let total = sessionCount
        guard total > 0 else { return nil }
        return Double(total - sessions[.crashed, default: 0]) / Double(total)
    }
}

public struct ReleaseFilter: Sendable, Equatable {
    public var projectSlug: String?
    public var environment: String?

    public init(projectSlug: String? = nil, environment: String? = nil) {
        self.projectSlug = projectSlug
        self.environment = environment
    }
}
