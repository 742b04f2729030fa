/// What produced an issue (API.md §5, Sextant's `kind`).
public enum IssueKind: String, Sendable, CaseIterable {
    case error
    case rageClick = "rage_click"
    case deadClick = "dead_click"
    case missedHeartbeat = "missed_heartbeat"
    case slowEndpoint = "slow_endpoint"
}

/// Lucent's issue statuses; `resolved` issues re-open as `unresolved` on a new occurrence.
public enum IssueStatus: String, Sendable, CaseIterable {
    case unresolved
    case ticketCreated = "ticket_created"
    case transient
    case resolved

    /// The exact list the Data API names when a status is invalid.
    public static let listed = allCases.map(\.rawValue).joined(separator: ", ")
}

public enum IssuePriority: String, Sendable {
    case low, medium, high, critical

    /// How urgent a level sounds: fatal errors are critical, errors high, warnings medium.
    public init(level: String) {
        switch level.lowercased() {
        case "fatal", "panic", "critical": self = .critical
        case "error": self = .high
        case "warn", "warning": self = .medium
        default: self = .low
        }
    }
}

/// A grouped problem: every occurrence with the same project, kind and fingerprint.
public struct Issue: Sendable, Equatable {
    public var id: String
    public var organizationID: String
    public var projectSlug: String
    public var kind: IssueKind
    public var fingerprint: String
    public var title: String
    public var description: String
    public var culprit: String?
    public var level: String
    public var status: IssueStatus
    public var priority: IssuePriority
    public var count: Int64
    public var userCount: Int64
    public var sessionCount: Int64
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var sampleSessionID: String?
    public var sampleEventID: Int64?
    /// When the sample occurred, so a replay link can seek to it.
    public var sampleTs: Int64?
    public var ticketProvider: String?
    public var ticketURL: String?
    public var ticketIdentifier: String?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(
        id: String, organizationID: String, projectSlug: String, kind: IssueKind, fingerprint: String, title: String,
        description: String, culprit: String?, level: String, status: IssueStatus, priority: IssuePriority, count: Int64,
        userCount: Int64, sessionCount: Int64, firstSeen: Int64, lastSeen: Int64, sampleSessionID: String?, sampleEventID: Int64?,
        sampleTs: Int64?, ticketProvider: String?, ticketURL: String?, ticketIdentifier: String?, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.organizationID = organizationID
        self.projectSlug = projectSlug
        self.kind = kind
        self.fingerprint = fingerprint
        self.title = title
        self.description = description
        self.culprit = culprit
        self.level = level
        self.status = status
        self.priority = priority
        self.count = count
        self.userCount = userCount
        self.sessionCount = sessionCount
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sampleSessionID = sampleSessionID
        self.sampleEventID = sampleEventID
        self.sampleTs = sampleTs
        self.ticketProvider = ticketProvider
        self.ticketURL = ticketURL
        self.ticketIdentifier = ticketIdentifier
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A change to an issue's triage state through the Data API.
public struct IssuePatch: Sendable, Equatable {
    public var status: IssueStatus
    public var ticketProvider: String?
    public var ticketURL: String?
    public var ticketIdentifier: String?

    public init(status: IssueStatus, ticketProvider: String? = nil, ticketURL: String? = nil, ticketIdentifier: String? = nil) {
        self.status = status
        self.ticketProvider = ticketProvider
        self.ticketURL = ticketURL
        self.ticketIdentifier = ticketIdentifier
    }
}

/// What an occurrence did to its issue; alerts fire on the first two.
public enum IssueTransition: String, Sendable {
    case opened = "new_issue"
    case regressed = "regression"
    case recurred
}
