import GRDB

/// The event index's view of the events table and of retention's tombstones.
public struct SQLiteEventIndexSource: EventIndexSource {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func changes(after: EventIndexWatermark, limit: Int) async throws -> EventIndexChanges {
        try await database.read { db in
            func event(_ row: Row, from column: Int) -> IndexedEvent {
                IndexedEvent(id: row[column], projectID: row[column + 1], identity: row[column + 2],
                             type: EventType(rawValue: row[column + 3]) ?? .event, name: row[column + 4], url: row[column + 5], ts: row[column + 6])
            }
            var tombstones: [IndexTombstone] = []
            let tombstoneRows = try Row.fetchCursor(db, sql: """
                SELECT seq, event_id, project_id, identity, type, name, url, ts FROM event_tombstones WHERE seq > ? ORDER BY seq
                """, arguments: [after.tombstone])
            while let row = try tombstoneRows.next() { tombstones.append(IndexTombstone(seq: row[0], event: event(row, from: 1))) }
            var events: [IndexedEvent] = []
            events.reserveCapacity(limit)
            let eventRows = try Row.fetchCursor(db, sql: """
                SELECT id, project_id, coalesce(user_id, session_id), type, name, url, ts FROM events WHERE id > ? ORDER BY id LIMIT ?
                """, arguments: [after.event, limit])
            while let row = try eventRows.next() { events.append(event(row, from: 0)) }
            let watermark = EventIndexWatermark(event: events.last?.id ?? after.event, tombstone: tombstones.last?.seq ?? after.tombstone)
            return EventIndexChanges(events: events, tombstones: tombstones, watermark: watermark, isComplete: events.count < limit)
        }
    }

    public func projectIDs(slug: String?) async throws -> [Int64] {
        try await database.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM projects WHERE ?1 IS NULL OR slug = ?1 ORDER BY id", arguments: [slug])
        }
    }

    public func lastEventID() async throws -> Int64 {
        try await database.read { db in try Self.lastEventID(db) }
    }

    /// The largest event id in `db` (0 when none); the ingest commit reads it before inserting.
    static func lastEventID(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM events") ?? 0
    }

    public func trimTombstones(through seq: Int64) async throws {
        try await database.write { db in try db.execute(sql: "DELETE FROM event_tombstones WHERE seq <= ?", arguments: [seq]) }
    }
}
