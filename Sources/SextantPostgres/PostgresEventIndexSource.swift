import PostgresNIO
import SextantCore

/// The event index's view of the events table and of retention's tombstones. Ids become visible
/// in id order on every node (ingest takes them under `PostgresAdvisoryLock.eventIDs`), so reading
/// above a watermark never skips an event another node commits later.
public struct PostgresEventIndexSource: EventIndexSource {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    public func changes(after: EventIndexWatermark, limit: Int) async throws -> EventIndexChanges {
        // One snapshot for both reads, as the index requires.
        try await database.transaction { tx in
            try await tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            let tombstones = try await tx.rows("""
                SELECT seq, event_id, project_id, identity, type, name, url, ts FROM event_tombstones WHERE seq > \(after.tombstone) ORDER BY seq
                """).map { row in
                let (seq, id, projectID, identity, type, name, url, ts) = try row.decode((Int64, Int64, Int64, String?, String, String, String?, Int64).self)
                return IndexTombstone(seq: seq, event: Self.event(id, projectID, identity, type, name, url, ts))
            }
            let events = try await tx.rows("""
                SELECT id, project_id, coalesce(user_id, session_id), type, name, url, ts FROM events WHERE id > \(after.event)
                ORDER BY id LIMIT \(Int64(limit))
                """).map { row in
                let (id, projectID, identity, type, name, url, ts) = try row.decode((Int64, Int64, String?, String, String, String?, Int64).self)
                return Self.event(id, projectID, identity, type, name, url, ts)
            }
            let watermark = EventIndexWatermark(event: events.last?.id ?? after.event, tombstone: tombstones.last?.seq ?? after.tombstone)
            return EventIndexChanges(events: events, tombstones: tombstones, watermark: watermark, isComplete: events.count < limit)
        }
    }

    private static func event(_ id: Int64, _ projectID: Int64, _ identity: String?, _ type: String, _ name: String, _ url: String?, _ ts: Int64) -> IndexedEvent {
        IndexedEvent(id: id, projectID: projectID, identity: identity, type: EventType(rawValue: type) ?? .event, name: name, url: url, ts: ts)
    }

    public func projectIDs(slug: String?) async throws -> [Int64] {
        var filter = PostgresFilter()
        filter.equal("slug", slug)
        var statement = filter.query("SELECT id FROM projects")
        statement.append(" ORDER BY id")
        return try await database.rows(statement.query).map { try $0.decode(Int64.self) }
    }

    public func lastEventID() async throws -> Int64 {
        try await database.rows("SELECT coalesce(max(id), 0) FROM events")[0].decode(Int64.self)
    }

    public func trimTombstones(through seq: Int64) async throws {
        try await database.execute("DELETE FROM event_tombstones WHERE seq <= \(seq)")
    }
}
