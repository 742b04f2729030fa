/// One sighting of a problem, before it is grouped: an error, a rage click, a missed run.
public struct IssueOccurrence: Sendable, Equatable {
    public var kind: IssueKind
    public var fingerprint: String
    /// What it is about: the exception type, the clicked target, the monitor or route.
    public var subject: String
    public var title: String
    public var description: String
    public var culprit: String?
    public var level: String
    public var ts: Int64
    public var userID: String?
    public var sessionID: String?
    /// The stored event behind it, filled in by the store that assigns event ids.
    public var eventID: Int64?
    /// Where it happened (sorted by key), counted on the issue's page.
    public var tags: [IssueTag] = []

    public init(
        kind: IssueKind, fingerprint: String, subject: String, title: String, description: String, culprit: String? = nil, level: String,
        ts: Int64, userID: String? = nil, sessionID: String? = nil, eventID: Int64? = nil
    ) {
        self.kind = kind
        self.fingerprint = fingerprint
        self.subject = subject
        self.title = title
        self.description = description
        self.culprit = culprit
        self.level = level
        self.ts = ts
        self.userID = userID
        self.sessionID = sessionID
        self.eventID = eventID
    }
}
