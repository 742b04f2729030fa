/// One validated analytics event on its way to storage.
public struct IngestEvent: Sendable, Equatable {
    public var ts: Int64
    public var type: EventType
    public var name: String
    public var userID: String?
    public var sessionID: String?
    public var url: String?
    /// The event's `props` object exactly as received (valid JSON text), or nil.
    public var propsJSON: String?

    public init(
        ts: Int64, type: EventType, name: String, userID: String? = nil, sessionID: String? = nil,
        url: String? = nil, propsJSON: String? = nil
    ) {
        self.ts = ts
        self.type = type
        self.name = name
        self.userID = userID
        self.sessionID = sessionID
        self.url = url
        self.propsJSON = propsJSON
    }

    /// Who the event belongs to for users, DAU and funnels: the user, else the session.
    public var identity: String? { userID ?? sessionID }
}

/// A stored event, as queries return it.
public struct StoredEvent: Sendable, Equatable {
    public var id: Int64
    public var projectSlug: String
    public var event: IngestEvent

    public init(id: Int64, projectSlug: String, event: IngestEvent) {
        self.id = id
        self.projectSlug = projectSlug
        self.event = event
    }
}
