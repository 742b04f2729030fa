/// Read side of the spyglass API: events, users, sessions, funnels, aggregates, replay index.
public protocol AnalyticsStore: Sendable {
    func events(_ filter: EventFilter) async throws -> [StoredEvent]
    func event(id: Int64) async throws -> StoredEvent?
    /// Events of one session within `[from, to]`, ascending.
    func sessionEvents(projectID: Int64, sessionID: String, from: Int64, to: Int64) async throws -> [StoredEvent]
    func users(_ filter: ListFilter) async throws -> [UserSummary]
    func sessions(_ filter: ListFilter) async throws -> [SessionSummary]
    func session(id: String, projectSlug: String?) async throws -> SessionSummary?
    /// How many walkers reached each step in order (`FunnelCounter`).
    func funnel(steps: [String], filter: TimeFilter, windowMs: Int64?) async throws -> [Int]
    /// The funnel with each step's median time to convert and, when asked, a page of who dropped off.
    func funnelReport(steps: [String], filter: TimeFilter, windowMs: Int64?, dropoff: FunnelDropoffQuery?) async throws -> FunnelReport
    func aggregates(filter: TimeFilter, limit: Int) async throws -> Aggregates
    /// Counts or distinct identities per bucket for each event, every bucket present.
    func trends(_ query: TrendQuery) async throws -> Trends
    /// The cohort table (`RetentionCounter`).
    func retention(_ query: RetentionQuery) async throws -> [RetentionCohort]
    /// The most common paths after a start event (`PathCounter`).
    func paths(_ query: PathQuery) async throws -> PathAnswer
    func replayChunks(projectID: Int64, sessionID: String) async throws -> [ReplayChunkRecord]
    func replayChunk(projectID: Int64, sessionID: String, seq: Int) async throws -> ReplayChunkRecord?
    /// The files sent with an event, oldest first.
    func attachments(eventID: String, projectSlug: String?) async throws -> [StoredAttachment]
    func attachment(id: Int64) async throws -> StoredAttachment?
}

public struct TimeFilter: Sendable, Equatable {
    public var projectSlug: String?
    public var from: Int64?
    public var to: Int64?

    public init(projectSlug: String? = nil, from: Int64? = nil, to: Int64? = nil) {
        self.projectSlug = projectSlug
        self.from = from
        self.to = to
    }
}

public struct EventFilter: Sendable, Equatable {
    public var time = TimeFilter()
    public var userID: String?
    public var sessionID: String?
    public var type: EventType?
    public var name: String?
    /// The name contains this text (case-insensitive).
    public var nameContains: String?
    /// A property's value, compared as text: `props.plan == "pro"`.
    public var property: PropertyCondition?
    /// Only errors that carry this trace id.
    public var errorTraceID: String?
    public var limit = 100

    public init() {}
}

/// `key=value` on an event's top-level properties; the key is a plain name, never a JSON path.
public struct PropertyCondition: Sendable, Equatable {
    public var key: String
    public var value: String

    public init?(key: String, value: String) {
        guard (1...64).contains(key.utf8.count), key.utf8.allSatisfy({ $0 == 95 || $0 == 45 || $0 == 36 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }) else {
            return nil
        }
        self.key = key
        self.value = value
    }

    /// `plan=pro`: the first `=` separates the key from the value.
    public init?(parsing text: String) {
        guard let separator = text.firstIndex(of: "=") else { return nil }
        self.init(key: String(text[..<separator]), value: String(text[text.index(after: separator)...]))
    }
}

public struct ListFilter: Sendable, Equatable {
    public var projectSlug: String?
    public var userID: String?
    public var limit = 100
    /// Only users and sessions active within `[from, to]`: last seen at or after `from`, first seen
    /// (started) at or before `to`.
    public var from: Int64?
    public var to: Int64?
    /// Conditions on sessions (the session list); the user list ignores them.
    public var session = SessionConditions()

    public init(projectSlug: String? = nil, userID: String? = nil, limit: Int = 100, from: Int64? = nil, to: Int64? = nil) {
        self.projectSlug = projectSlug
        self.userID = userID
        self.limit = limit
        self.from = from
        self.to = to
    }
}

/// What a session must have to be listed; nil means either way.
public struct SessionConditions: Sendable, Equatable {
    public var hasReplay: Bool?
    public var hasErrors: Bool?
    /// At least this long, first event to last.
    public var minDurationMs: Int64?
    /// Some event of the session was on a URL containing this text (case-insensitive).
    public var urlContains: String?
    public var device: DeviceInfo.Kind?
    /// The browser's name, any case.
    public var browser: String?

    public init(hasReplay: Bool? = nil, hasErrors: Bool? = nil, minDurationMs: Int64? = nil, urlContains: String? = nil,
                device: DeviceInfo.Kind? = nil, browser: String? = nil) {
        self.device = device
        self.browser = browser
        self.hasReplay = hasReplay
        self.hasErrors = hasErrors
        self.minDurationMs = minDurationMs
        self.urlContains = urlContains
    }
}

public struct UserSummary: Sendable, Equatable {
    public var userID: String
    public var projectSlug: String
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var sessionCount: Int
    /// What clients set on the user, as a JSON object's text.
    public var propertiesJSON: String?

    package init(userID: String, projectSlug: String, firstSeen: Int64, lastSeen: Int64, sessionCount: Int, propertiesJSON: String?) {
        self.userID = userID
        self.projectSlug = projectSlug
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sessionCount = sessionCount
        self.propertiesJSON = propertiesJSON
    }
}

public struct SessionSummary: Sendable, Equatable {
    public var projectID: Int64
    public var projectSlug: String
    public var sessionID: String
    public var userID: String?
    public var startedAt: Int64
    public var lastSeen: Int64
    public var eventCount: Int
    public var errorCount: Int
    public var chunkCount: Int
    public var entryURL: String?
    /// From the first browser that sent for it; nil for sessions only server SDKs reported.
    public var device: DeviceInfo? = nil

    package init(
        projectID: Int64, projectSlug: String, sessionID: String, userID: String?, startedAt: Int64, lastSeen: Int64, eventCount: Int,
        errorCount: Int, chunkCount: Int, entryURL: String?, device: DeviceInfo? = nil
    ) {
        self.projectID = projectID
        self.projectSlug = projectSlug
        self.sessionID = sessionID
        self.userID = userID
        self.startedAt = startedAt
        self.lastSeen = lastSeen
        self.eventCount = eventCount
        self.errorCount = errorCount
        self.chunkCount = chunkCount
        self.entryURL = entryURL
        self.device = device
    }

    public var durationMs: Int64 {
        // Stored times from before ranges were enforced may be anything: no overflow trap here.
        let (difference, overflow) = lastSeen.subtractingReportingOverflow(startedAt)
        return overflow ? 0 : max(0, difference)
    }
}

public struct Aggregates: Sendable, Equatable {
    public struct DayCount: Sendable, Equatable {
        public var day: String
        public var count: Int
    }

    public struct NameCount: Sendable, Equatable {
        public var name: String
        public var count: Int
    }

    public var dau: [DayCount]
    public var topEvents: [NameCount]
    public var topPages: [NameCount]
    public var errorsByDay: [DayCount]
    /// Errors of every source (error events, error logs, SeeStack, Sentry, OpenTelemetry) per UTC
    /// day of their time, every day of the range present, quiet ones as zero.
    public var allErrorsByDay: [DayCount] = []

    /// Every day from `first` to `last` (day numbers), each with its count in `counts` or zero;
    /// only the counted days when the span is implausibly long.
    public static func everyDay(from first: Int64, to last: Int64, counts: [Int64: Int]) -> [DayCount] {
        guard first <= last, last - first < 3660 else {
            return counts.sorted { $0.key < $1.key }.map { DayCount(day: UTCDay.string(fromDayNumber: $0.key), count: $0.value) }
        }
        return (first...last).map { DayCount(day: UTCDay.string(fromDayNumber: $0), count: counts[$0] ?? 0) }
    }
}
