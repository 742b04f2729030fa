import PostgresNIO
import SextantCore

public struct PostgresRetentionStore: RetentionStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    public func purge(_ kind: RetentionKind, projectID: Int64, receivedBefore cutoff: Int64, limit: Int) async throws -> PurgeResult {
        let limit = Int64(limit)
        return try await database.transaction { tx in
            switch kind {
            case .events:
                // Each purged event leaves a tombstone in the same statement, for the event index. The
                // newest event of all is kept, as on SQLite, so both backends purge the same rows.
                let events = try await tx.count("""
                    WITH doomed AS (
                        DELETE FROM events WHERE id IN (
                            SELECT id FROM events WHERE project_id = \(projectID) AND received_at < \(cutoff)
                                AND id < (SELECT max(id) FROM events) ORDER BY id LIMIT \(limit))
                        RETURNING id, project_id, coalesce(user_id, session_id) AS identity, type, name, url, ts)
                    INSERT INTO event_tombstones (event_id, project_id, identity, type, name, url, ts)
                    SELECT id, project_id, identity, type, name, url, ts FROM doomed ORDER BY id
                    RETURNING 1
                    """)
                let sessions = try await deleteRows(tx, table: "release_sessions", projectID: projectID, cutoff: cutoff, limit: limit)
                let attachments = try await tx.rows("""
                    DELETE FROM attachments WHERE id IN (
                        SELECT id FROM attachments WHERE project_id = \(projectID) AND received_at < \(cutoff) ORDER BY id LIMIT \(limit))
                    RETURNING blob_key
                    """).map { try $0.decode(String.self) }
                return PurgeResult(deletedRows: events + sessions + attachments.count, blobKeys: attachments)
            case .httpRequests:
                var deleted = 0
                for table in ["http_requests", "spans", "db_queries", "metric_points"] {
                    deleted += try await deleteRows(tx, table: table, projectID: projectID, cutoff: cutoff, limit: limit)
                }
                return PurgeResult(deletedRows: deleted)
            case .heartbeats:
                return PurgeResult(deletedRows: try await tx.count("""
                    DELETE FROM heartbeats WHERE id IN (
                        SELECT h.id FROM heartbeats h JOIN monitors m ON m.id = h.monitor_id
                        WHERE m.project_id = \(projectID) AND h.ts < \(cutoff) LIMIT \(limit))
                    RETURNING 1
                    """))
            case .logs:
                // The search words live in the row: deleting it removes them from the index.
                return PurgeResult(deletedRows: try await deleteRows(tx, table: "logs", projectID: projectID, cutoff: cutoff, limit: limit))
            case .replays:
                return try await purgeChunks(tx, projectID: projectID, cutoff: cutoff, limit: limit)
            }
        }
    }

    private func deleteRows(_ tx: PostgresTransaction, table: String, projectID: Int64, cutoff: Int64, limit: Int64) async throws -> Int {
        var statement = PostgresQueryBuilder()
        let values = (project: statement.bind(projectID), cutoff: statement.bind(cutoff), limit: statement.bind(limit))
        statement.append("""
            DELETE FROM \(table) WHERE id IN (
                SELECT id FROM \(table) WHERE project_id = \(values.project) AND received_at < \(values.cutoff) ORDER BY id LIMIT \(values.limit))
            RETURNING 1
            """)
        return try await tx.count(statement.query)
    }

    public func purgeSpent(now: Int64) async throws -> Int {
        let day: Int64 = 86_400_000
        return try await database.transaction { tx in
            var deleted = 0
            deleted += try await tx.count("DELETE FROM alert_outbox WHERE coalesce(delivered_at, failed_at) < \(now - 7 * day) RETURNING 1")
            deleted += try await tx.count("DELETE FROM occurrence_hours WHERE hour < \((now - 8 * day) / 3_600_000) RETURNING 1")
            deleted += try await tx.count("DELETE FROM oauth_codes WHERE expires_at < \(now - day) RETURNING 1")
            deleted += try await tx.count("DELETE FROM oauth_refresh_tokens WHERE expires_at < \(now - day) RETURNING 1")
            deleted += try await tx.count("DELETE FROM api_tokens WHERE source = 'oauth' AND expires_at < \(now - day) RETURNING 1")
            // Request windows are a minute long: hits an hour old count for no one (a key's own are
            // cleared as it is next counted; these are of tokens no longer used).
            deleted += try await tx.count("DELETE FROM request_window_hits WHERE ts < \(now - 3_600_000) RETURNING 1")
            return deleted
        }
    }

    private func purgeChunks(_ tx: PostgresTransaction, projectID: Int64, cutoff: Int64, limit: Int64) async throws -> PurgeResult {
        let rows = try await tx.rows("""
            DELETE FROM replay_chunks WHERE (project_id, session_id, seq) IN (
                SELECT project_id, session_id, seq FROM replay_chunks WHERE project_id = \(projectID) AND received_at < \(cutoff) LIMIT \(limit))
            RETURNING session_id, blob_key
            """).map { try $0.decode((String, String).self) }
        var perSession: [String: Int64] = [:]
        for (session, _) in rows { perSession[session, default: 0] += 1 }
        // In session order, as ingest's rollup takes the same rows.
        for (session, count) in perSession.sorted(by: { $0.key < $1.key }) {
            try await tx.execute("""
                UPDATE sessions SET chunk_count = GREATEST(0, chunk_count - \(count)) WHERE project_id = \(projectID) AND session_id = \(session)
                """)
        }
        return PurgeResult(deletedRows: rows.count, blobKeys: rows.map(\.1))
    }
}
