import PostgresNIO
import SextantCore

public struct PostgresReplayAnalysisStore: ReplayAnalysisStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    public func sessionsAwaitingAnalysis(since: Int64, quietSince: Int64, limit: Int) async throws -> [SessionForAnalysis] {
        try await database.rows("""
            WITH recent AS (SELECT DISTINCT project_id, session_id FROM replay_chunks WHERE received_at > \(since))
            SELECT c.project_id, c.session_id, max(c.seq) AS last_seq, max(c.received_at) AS last_received,
                max(a.analyzed_seq) AS analyzed_seq, max(a.analyzed_through_ts) AS analyzed_through_ts, max(s.user_id) AS user_id
            FROM recent JOIN replay_chunks c ON c.project_id = recent.project_id AND c.session_id = recent.session_id
            LEFT JOIN replay_analysis a ON a.project_id = c.project_id AND a.session_id = c.session_id
            LEFT JOIN sessions s ON s.project_id = c.project_id AND s.session_id = c.session_id
            GROUP BY c.project_id, c.session_id
            HAVING (max(c.received_at) <= \(quietSince) OR EXISTS (
                    SELECT 1 FROM replay_final f WHERE f.project_id = c.project_id AND f.session_id = c.session_id))
                AND (max(a.analyzed_seq) IS NULL OR max(c.seq) > max(a.analyzed_seq))
            ORDER BY last_received LIMIT \(Int64(limit))
            """).map { row in
            let (projectID, sessionID, lastSeq, _, _, throughTs, userID) =
                try row.decode((Int64, String, Int64, Int64, Int64?, Int64?, String?).self)
            return SessionForAnalysis(projectID: projectID, sessionID: sessionID, userID: userID, lastSeq: Int(lastSeq), analyzedThroughTs: throughTs)
        }
    }

    public func markAnalyzed(projectID: Int64, sessionID: String, seq: Int, throughTs: Int64) async throws {
        try await database.execute("""
            INSERT INTO replay_analysis (project_id, session_id, analyzed_seq, analyzed_through_ts)
            VALUES (\(projectID), \(sessionID), \(Int64(seq)), \(throughTs))
            ON CONFLICT (project_id, session_id) DO UPDATE SET analyzed_seq = excluded.analyzed_seq,
                analyzed_through_ts = excluded.analyzed_through_ts
            """)
    }
}
