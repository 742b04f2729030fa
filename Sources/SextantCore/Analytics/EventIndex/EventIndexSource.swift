/// Where the event index reads what changed since it last looked: events in id order and the
/// tombstones retention leaves for the events it purges. A backend implements it over its events
/// table; the index itself holds no storage code.
public protocol EventIndexSource: Sendable {
    /// Events with an id above `after.event` (at most `limit`, ascending) and every tombstone above
    /// `after.tombstone`, read in one snapshot of the store.
    func changes(after: EventIndexWatermark, limit: Int) async throws -> EventIndexChanges
    /// The ids of the project with this slug, or of every project when nil; empty for an unknown slug.
    func projectIDs(slug: String?) async throws -> [Int64]
    /// The largest event id stored (0 when none).
    func lastEventID() async throws -> Int64
    /// Tombstones up to `seq` are no longer needed by anyone.
    func trimTombstones(through seq: Int64) async throws
}

/// How far the index has read: the last event id and the last tombstone sequence number.
public struct EventIndexWatermark: Sendable, Equatable {
    public var event: Int64
    public var tombstone: Int64

    public init(event: Int64 = 0, tombstone: Int64 = 0) {
        self.event = event
        self.tombstone = tombstone
    }
}

/// What the index keeps of an event: its walker (the user, else the session), what it was and when.
public struct IndexedEvent: Sendable, Equatable {
    public var id: Int64
    public var projectID: Int64
    /// The user id, else the session id; nil when the event has neither.
    public var identity: String?
    public var type: EventType
    public var name: String
    public var url: String?
    public var ts: Int64

    public init(id: Int64, projectID: Int64, identity: String?, type: EventType, name: String, url: String?, ts: Int64) {
        self.id = id
        self.projectID = projectID
        self.identity = identity
        self.type = type
        self.name = name
        self.url = url
        self.ts = ts
    }
}

/// A purged event, as retention recorded it in the purge's transaction.
public struct IndexTombstone: Sendable, Equatable {
    public var seq: Int64
    public var event: IndexedEvent

    public init(seq: Int64, event: IndexedEvent) {
        self.seq = seq
        self.event = event
    }
}

public struct EventIndexChanges: Sendable {
    public var events: [IndexedEvent]
    public var tombstones: [IndexTombstone]
    /// Where the next read starts.
    public var watermark: EventIndexWatermark
    /// False when `limit` cut the events short: read again.
    public var isComplete: Bool

    public init(events: [IndexedEvent], tombstones: [IndexTombstone], watermark: EventIndexWatermark, isComplete: Bool) {
        self.events = events
        self.tombstones = tombstones
        self.watermark = watermark
        self.isComplete = isComplete
    }
}
