import PostgresNIO
import SextantCore

/// Releases and release-health sessions. Every write is one upsert, never a read followed by a
/// write, so a retried or reordered report (an SDK's session end can overtake its start) lands
/// on the same row with the same result.
enum PostgresReleaseHealth {
    /// The SQL form of the domain's escalation order (`ReleaseSessionStatus.severity`) for a status expression.
    static func severity(of expression: String) -> String {
        let cases = ReleaseSessionStatus.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.severity)" }.joined(separator: " ")
        return "(CASE \(expression) \(cases) ELSE 0 END)"
    }

    static func upsert(_ batch: ReleaseBatch, tx: PostgresTransaction) async throws {
        for release in batch.releases {
            try await upsert(release, projectID: batch.projectID, at: batch.receivedAt, tx: tx)
        }
        for session in batch.sessions {
            switch session.phase {
            case .started(let release):
                let environment = session.environment ?? ReleaseRecord.defaultEnvironment
                // A session's start registers its release, as Sentry does for releases no one announced.
                try await upsert(ReleaseRecord(version: release, environment: environment), projectID: batch.projectID, at: session.ts, tx: tx)
                try await tx.execute("""
                    INSERT INTO release_sessions (project_id, session_id, release, environment, user_id, sdk, platform, started_at, received_at)
                    VALUES (\(batch.projectID), \(session.sessionID), \(release), \(environment), \(session.userID), \(session.sdk),
                        \(session.platform), \(session.ts), \(batch.receivedAt))
                    ON CONFLICT (project_id, session_id) DO UPDATE SET
                        release = excluded.release, environment = excluded.environment,
                        user_id = coalesce(excluded.user_id, release_sessions.user_id), sdk = coalesce(excluded.sdk, release_sessions.sdk),
                        platform = coalesce(excluded.platform, release_sessions.platform),
                        started_at = coalesce(release_sessions.started_at, excluded.started_at), received_at = excluded.received_at
                    """)
            case .ended(let status, let durationMs):
                var statement = PostgresQueryBuilder()
                let values = [
                    statement.bind(batch.projectID), statement.bind(session.sessionID), statement.bind(status.rawValue),
                    statement.bind(durationMs), statement.bind(session.ts), statement.bind(batch.receivedAt),
                ].joined(separator: ", ")
                statement.append("""
                    INSERT INTO release_sessions (project_id, session_id, status, duration_ms, ended_at, received_at) VALUES (\(values))
                    ON CONFLICT (project_id, session_id) DO UPDATE SET
                        status = CASE WHEN \(severity(of: "excluded.status")) > \(severity(of: "release_sessions.status"))
                            THEN excluded.status ELSE release_sessions.status END,
                        duration_ms = coalesce(excluded.duration_ms, release_sessions.duration_ms),
                        ended_at = coalesce(release_sessions.ended_at, excluded.ended_at), received_at = excluded.received_at
                    """)
                try await tx.execute(statement.query)
            }
        }
    }

    private static func upsert(_ release: ReleaseRecord, projectID: Int64, at ts: Int64, tx: PostgresTransaction) async throws {
        try await tx.execute("""
            INSERT INTO releases (project_id, version, environment, commit_sha, branch, author, message, first_seen, last_seen)
            VALUES (\(projectID), \(release.version), \(release.environment), \(release.commitSHA), \(release.branch), \(release.author),
                \(release.message), \(ts), \(ts))
            ON CONFLICT (project_id, version, environment) DO UPDATE SET
                commit_sha = coalesce(excluded.commit_sha, releases.commit_sha), branch = coalesce(excluded.branch, releases.branch),
                author = coalesce(excluded.author, releases.author), message = coalesce(excluded.message, releases.message),
                first_seen = LEAST(releases.first_seen, excluded.first_seen), last_seen = GREATEST(releases.last_seen, excluded.last_seen)
            """)
    }

    /// An error reported from inside a release-health session escalates that session (only ever
    /// upwards) and counts against it, so a running session shows its errors before it ends.
    static func mark(_ mark: IngestPlan.ReleaseSessionError, tx: PostgresTransaction) async throws {
        var statement = PostgresQueryBuilder()
        let status = statement.bind(mark.status.rawValue)
        statement.append("""
            UPDATE release_sessions SET error_count = error_count + 1,
                status = CASE WHEN \(severity(of: status + "::text")) > \(severity(of: "status")) THEN \(status) ELSE status END
            WHERE project_id = \(statement.bind(mark.projectID)) AND session_id = \(statement.bind(mark.sessionID))
            """)
        try await tx.execute(statement.query)
    }
}
