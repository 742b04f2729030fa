import GRDB

public struct SQLiteRetentionStore: RetentionStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func purge(_ kind: RetentionKind, projectID: Int64, receivedBefore cutoff: Int64, limit: Int) async throws -> PurgeResult {
        try await database.write { db in
            switch kind {
            case .events:
                // Each purged event leaves a tombstone in the same transaction, for the event index.
                // The newest event of all is kept: SQLite hands out ids above the largest remaining
                // one, so deleting it would let a new event reuse an id the index has already read.
                let lastTombstone = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM event_tombstones") ?? 0
                try db.execute(sql: """
                    INSERT INTO event_tombstones (event_id, project_id, identity, type, name, url, ts)
                    SELECT id, project_id, coalesce(user_id, session_id), type, name, url, ts FROM events
                    WHERE id IN (SELECT id FROM events WHERE project_id = ? AND received_at < ? AND id < (SELECT max(id) FROM events)
                                 ORDER BY id LIMIT ?) ORDER BY id
                    """, arguments: [projectID, cutoff, limit])
                try db.execute(sql: "DELETE FROM events WHERE id IN (SELECT event_id FROM event_tombstones WHERE seq > ?)", arguments: [lastTombstone])
                let events = db.changesCount
                let sessions = try deleteRows(db, table: "release_sessions", projectID: projectID, cutoff: cutoff, limit: limit)
                let attachments = try String.fetchAll(db, sql: """
                    DELETE FROM attachments WHERE id IN (SELECT id FROM attachments WHERE project_id = ? AND received_at < ? ORDER BY id LIMIT ?)
                    RETURNING blob_key
                    """, arguments: [projectID, cutoff, limit])
                return PurgeResult(deletedRows: events + sessions + attachments.count, blobKeys: attachments)
            case .httpRequests:
                let requests = try deleteRows(db, table: "http_requests", projectID: projectID, cutoff: cutoff, limit: limit)
                let spans = try deleteRows(db, table: "spans", projectID: projectID, cutoff: cutoff, limit: limit)
                let queries = try deleteRows(db, table: "db_queries", projectID: projectID, cutoff: cutoff, limit: limit)
                let metrics = try deleteRows(db, table: "metric_points", projectID: projectID, cutoff: cutoff, limit: limit)
                return PurgeResult(deletedRows: requests + spans + queries + metrics)
            case .heartbeats:
                try db.execute(sql: """
                    DELETE FROM heartbeats WHERE id IN (
                        SELECT h.id FROM heartbeats h JOIN monitors m ON m.id = h.monitor_id
                        WHERE m.project_id = ? AND h.ts < ? LIMIT ?)
                    """, arguments: [projectID, cutoff, limit])
                return PurgeResult(deletedRows: db.changesCount)
            case .logs:
                return PurgeResult(deletedRows: try purgeLogs(db, projectID: projectID, cutoff: cutoff, limit: limit))
            case .replays:
                return try purgeChunks(db, projectID: projectID, cutoff: cutoff, limit: limit)
            }
        }
    }

    private func deleteRows(_ db: Database, table: String, projectID: Int64, cutoff: Int64, limit: Int) throws -> Int {
        try db.execute(sql: """
            DELETE FROM \(table) WHERE id IN (SELECT id FROM \(table) WHERE project_id = ? AND received_at < ? ORDER BY id LIMIT ?)
            """, arguments: [projectID, cutoff, limit])
        return db.changesCount
    }

    /// The search index holds no text of its own, so each entry is removed with the text it indexed.
    public func purgeSpent(now: Int64) async throws -> Int {
        let day: Int64 = 86_400_000
        return try await database.write { db in
            var deleted = 0
            let statements: [(String, StatementArguments)] = [
                ("DELETE FROM alert_outbox WHERE coalesce(delivered_at, failed_at) < ?", [now - 7 * day]),
                ("DELETE FROM occurrence_hours WHERE hour < ?", [(now - 8 * day) / 3_600_000]),
                ("DELETE FROM oauth_codes WHERE expires_at < ?", [now - day]),
                ("DELETE FROM oauth_refresh_tokens WHERE expires_at < ?", [now - day]),
                ("DELETE FROM api_tokens WHERE source = 'oauth' AND expires_at < ?", [now - day]),
            ]
            for (sql, arguments) in statements {
                try db.execute(sql: sql, arguments: arguments)
                deleted += db.changesCount
            }
            return deleted
        }
    }

    private func purgeLogs(_ db: Database, projectID: Int64, cutoff: Int64, limit: Int) throws -> Int {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, message, error FROM logs WHERE project_id = ? AND received_at < ? ORDER BY id LIMIT ?
            """, arguments: [projectID, cutoff, limit])
        for row in rows {
            let errorJSON: String? = row["error"]
            let errorText = errorJSON.flatMap { try? JSONValue.parse($0) }?.objectValue.map(LogRecord.searchText(ofError:))
            try db.execute(sql: "INSERT INTO logs_search (logs_search, rowid, message, error) VALUES ('delete', ?, ?, ?)",
                           arguments: [row["id"] as Int64, row["message"] as String, errorText])
            try db.execute(sql: "DELETE FROM logs WHERE id = ?", arguments: [row["id"] as Int64])
        }
        return rows.count
    }

    private func purgeChunks(_ db: Database, projectID: Int64, cutoff: Int64, limit: Int) throws -> PurgeResult {
        let rows = try Row.fetchAll(db, sql: """
            DELETE FROM replay_chunks WHERE (project_id, session_id, seq) IN (
                SELECT project_id, session_id, seq FROM replay_chunks WHERE project_id = ? AND received_at < ? LIMIT ?)
            RETURNING session_id, blob_key
            """, arguments: [projectID, cutoff, limit])
        var perSession: [String: Int] = [:]
        for row in rows { perSession[row["session_id"], default: 0] += 1 }
        for (session, count) in perSession {
            try db.execute(sql: "UPDATE sessions SET chunk_count = max(0, chunk_count - ?) WHERE project_id = ? AND session_id = ?",
                           arguments: [count, projectID, session])
        }
        return PurgeResult(deletedRows: rows.count, blobKeys: rows.map { $0["blob_key"] })
    }
}
