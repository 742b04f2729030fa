/// One unit of ingested data, committed all-or-nothing.
public enum IngestItem: Sendable {
    case events(EventBatch)
    /// A chunk, and what its uploader knows of the session (Lucent sends the user and page).
    case replayChunk(ReplayChunkRecord, SessionHint = SessionHint())
    case logs(LogBatch)
    case heartbeat(HeartbeatRecord)
    case httpRequests(HTTPRequestBatch)
    case spans(SpanBatch)
    /// Releases registered and release-health sessions started or ended.
    case releases(ReleaseBatch)
    case databaseQueries(DatabaseQueryBatch)
    /// A file sent with an event; `.duplicate` when the same file was already stored for it.
    case attachment(AttachmentRecord)
    /// OTLP metric data points.
    case metrics(MetricBatch)
    /// Properties clients set on users (PostHog's `$set` and `$set_once`).
    case userProperties(UserPropertyBatch)
    /// The items of one request, committed together or not at all, so a refused request
    /// leaves nothing behind for its retry to repeat.
    case together([IngestItem])

    /// Several items as one, the only one, or nil for none.
    public static func combined(_ items: [IngestItem]) -> IngestItem? {
        items.count > 1 ? .together(items) : items.first
    }

    /// Rows this item writes, for the batch writer's queue bound.
    public var rowCount: Int {
        switch self {
        case .events(let batch): max(batch.events.count, 1)
        case .replayChunk: 1
        case .logs(let batch): max(batch.records.count, 1)
        case .heartbeat: 1
        case .httpRequests(let batch): max(batch.requests.count, 1)
        case .spans(let batch): max(batch.spans.count, 1)
        case .releases(let batch): max(batch.releases.count + batch.sessions.count, 1)
        case .databaseQueries(let batch): max(batch.queries.count, 1)
        case .attachment: 1
        case .metrics(let batch): max(batch.points.count, 1)
        case .userProperties(let batch): max(batch.updates.count, 1)
        case .together(let items): max(items.reduce(0) { $0 + $1.rowCount }, 1)
        }
    }
}

/// Who a session belongs to and where it started, when a replay upload says so.
public struct SessionHint: Sendable, Equatable {
    public var userID: String?
    public var entryURL: String?
    /// The uploader says the session is over (Lucent's `flush: "final"`): analyze it now.
    public var isFinal: Bool
    /// The uploading browser's User-Agent header.
    public var userAgent: String? = nil
    /// Properties the uploader set on the user (Lucent's `user.properties`), applied as `$set`.
    public var userProperties: [String: JSONValue] = [:]

    public init(userID: String? = nil, entryURL: String? = nil, isFinal: Bool = false, userAgent: String? = nil) {
        self.userAgent = userAgent
        self.userID = userID
        self.entryURL = entryURL
        self.isFinal = isFinal
    }
}

public struct EventBatch: Sendable {
    public var projectID: Int64
    public var receivedAt: Int64
    public var events: [IngestEvent]
    /// The sending browser's User-Agent header: the device of the sessions in the batch.
    public var userAgent: String? = nil

    public init(projectID: Int64, receivedAt: Int64, events: [IngestEvent]) {
        self.projectID = projectID
        self.receivedAt = receivedAt
        self.events = events
    }
}

public enum IngestOutcome: Sendable, Equatable {
    case stored
    /// The same replay chunk was already stored: a safe retry.
    case duplicate
    /// A different replay chunk already holds that (session, seq).
    case conflict
}

/// Commits ingested items; many requests' items share one transaction (group commit).
public protocol IngestStore: Sendable {
    /// Commits all items in one transaction, returning one outcome per item, in order.
    func commit(_ items: [IngestItem]) async throws -> [IngestOutcome]
    /// How many commits the writer may have in flight at once: one where the database has a
    /// single writer (SQLite), more where concurrent transactions write in parallel.
    var concurrentCommits: Int { get }
}

extension IngestStore {
    public var concurrentCommits: Int { 1 }
}
