import GRDB

public struct SQLiteReplayAnalysisStore: ReplayAnalysisStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func sessionsAwaitingAnalysis(since: Int64, quietSince: Int64, limit: Int) async throws -> [SessionForAnalysis] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                WITH recent AS (SELECT DISTINCT project_id, session_id FROM replay_chunks WHERE received_at > ?)
                SELECT c.project_id, c.session_id, max(c.seq) AS last_seq, max(c.received_at) AS last_received,
                    a.analyzed_seq, a.analyzed_through_ts, s.user_id
                FROM recent JOIN replay_chunks c ON c.project_id = recent.project_id AND c.session_id = recent.session_id
                LEFT JOIN replay_analysis a ON a.project_id = c.project_id AND a.session_id = c.session_id
                LEFT JOIN sessions s ON s.project_id = c.project_id AND s.session_id = c.session_id
                GROUP BY c.project_id, c.session_id
                HAVING (last_received <= ? OR EXISTS (
                        SELECT 1 FROM replay_final f WHERE f.project_id = c.project_id AND f.session_id = c.session_id))
                    AND (a.analyzed_seq IS NULL OR last_seq > a.analyzed_seq)
                ORDER BY last_received LIMIT ?
                """, arguments: [since, quietSince, limit]).map { row in
                SessionForAnalysis(
                    projectID: row["project_id"], sessionID: row["session_id"], userID: row["user_id"], lastSeq: row["last_seq"],
                    analyzedThroughTs: row["analyzed_through_ts"])
            }
        }
    }

    public func markAnalyzed(projectID: Int64, sessionID: String, seq: Int, throughTs: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO replay_analysis (project_id, session_id, analyzed_seq, analyzed_through_ts) VALUES (?, ?, ?, ?)
                ON CONFLICT (project_id, session_id) DO UPDATE SET analyzed_seq = excluded.analyzed_seq,
                    analyzed_through_ts = excluded.analyzed_through_ts
                """, arguments: [projectID, sessionID, seq, throughTs])
        }
    }
}
