/// Where a page of a Data API list starts: after the row with this `(createdAt, id)`.
public struct PageCursor: Sendable, Equatable {
    public var createdAt: Int64
    public var id: String

    public init(createdAt: Int64, id: String) {
        self.createdAt = createdAt
        self.id = id
    }
}

/// One page of a list ordered by `createdAt` descending, then `id` descending.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: PageCursor?

    public init(items: [Item], next: PageCursor?) {
        self.items = items
        self.next = next
    }
}

public struct IssueFilter: Sendable, Equatable {
    /// Nil for every organization (the dashboard, which the server's operator sees whole).
    public var organizationID: String?
    public var status: IssueStatus?
    public var projectSlug: String?
    public var kind: IssueKind?
    public var after: PageCursor?
    public var limit: Int
    /// Only issues seen within `[from, to]`: last seen at or after `from`, first seen at or before `to`.
    public var from: Int64?
    public var to: Int64?
    /// Title or culprit contains this text (case-insensitive).
    public var search: String?
    /// Any order but `.newest` gives one page (no cursor).
    public var sort: IssueSort = .newest

    public init(organizationID: String?, status: IssueStatus? = nil, projectSlug: String? = nil, kind: IssueKind? = nil,
                after: PageCursor? = nil, limit: Int = 25, from: Int64? = nil, to: Int64? = nil) {
        self.organizationID = organizationID
        self.status = status
        self.projectSlug = projectSlug
        self.kind = kind
        self.after = after
        self.limit = limit
        self.from = from
        self.to = to
    }
}

/// How an issue list is ordered, largest or latest first.
public enum IssueSort: String, Sendable, CaseIterable {
    /// Newest issue first: the Data API's keyset order.
    case newest
    case lastSeen = "last_seen"
    case events
    case users
}

/// A numbered step that led to an issue's sample occurrence, from the sample session's events.
public struct Breadcrumb: Sendable, Equatable {
    public var ts: Int64
    public var type: EventType
    public var name: String
    public var url: String?

    public init(ts: Int64, type: EventType, name: String, url: String?) {
        self.ts = ts
        self.type = type
        self.name = name
        self.url = url
    }
}

/// Issues grouped from every source. Ingest groups errors inside its own transaction; analyzers
/// (replay, monitors, endpoints) record their occurrences here.
public protocol IssueStore: Sendable {
    func issues(_ filter: IssueFilter) async throws -> Page<Issue>
    /// The issue, only when it belongs to the organization (nil when absent or not theirs).
    func issue(id: String, organizationID: String?) async throws -> Issue?
    /// How many issues of each status match the filter, its status aside (the triage tabs).
    func statusCounts(_ filter: IssueFilter) async throws -> [IssueStatus: Int]
    func updateIssue(id: String, organizationID: String?, patch: IssuePatch, now: Int64) async throws -> Issue?
    /// Groups occurrences into issues of the project, committed together; returns each one's transition.
    @discardableResult
    func record(_ occurrences: [IssueOccurrence], projectID: Int64, now: Int64) async throws -> [IssueTransition]
    /// Occurrences by day and by tag, and the latest ones; days and the latest within `[from, to]` when given.
    func activity(issueID: String, from: Int64?, to: Int64?) async throws -> IssueActivity
    /// What the session did up to `ts`, oldest first, at most `limit` steps.
    func breadcrumbs(sessionID: String, projectSlug: String, through ts: Int64, limit: Int) async throws -> [Breadcrumb]
}
