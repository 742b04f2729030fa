import GRDB

/// Releases, release-health sessions, database queries and attachments. Every write is one upsert, never a
/// read followed by a write, so a retried or reordered report (an SDK's session end can overtake
/// its start, which it posts from another thread) lands on the same row with the same result.
extension SQLiteIngestStore {
    /// The SQL form of the domain's escalation order (`ReleaseSessionStatus.severity`) for a status column.
    static func severity(of column: String) -> String {
        let cases = ReleaseSessionStatus.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.severity)" }.joined(separator: " ")
        return "(CASE \(column) \(cases) ELSE 0 END)"
    }

    func upsertReleases(_ batch: ReleaseBatch, db: Database) throws {
        for release in batch.releases {
            try upsertRelease(release, projectID: batch.projectID, at: batch.receivedAt, db: db)
        }
        for session in batch.sessions {
            switch session.phase {
            case .started(let release):
                let environment = session.environment ?? ReleaseRecord.defaultEnvironment
                // A session's start registers its release, as Sentry does for releases no one announced.
                try upsertRelease(ReleaseRecord(version: release, environment: environment), projectID: batch.projectID, at: session.ts, db: db)
                try db.execute(sql: """
                    INSERT INTO release_sessions (project_id, session_id, release, environment, user_id, sdk, platform, started_at, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (project_id, session_id) DO UPDATE SET
                        release = excluded.release, environment = excluded.environment,
                        user_id = coalesce(excluded.user_id, user_id), sdk = coalesce(excluded.sdk, sdk),
                        platform = coalesce(excluded.platform, platform),
                        started_at = coalesce(started_at, excluded.started_at), received_at = excluded.received_at
                    """, arguments: [
                        batch.projectID, session.sessionID, release, environment, session.userID, session.sdk, session.platform,
                        session.ts, batch.receivedAt,
                    ])
            case .ended(let status, let durationMs):
                try db.execute(sql: """
                    INSERT INTO release_sessions (project_id, session_id, status, duration_ms, ended_at, received_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (project_id, session_id) DO UPDATE SET
                        status = CASE WHEN \(Self.severity(of: "excluded.status")) > \(Self.severity(of: "release_sessions.status"))
                            THEN excluded.status ELSE release_sessions.status END,
                        duration_ms = coalesce(excluded.duration_ms, duration_ms),
                        ended_at = coalesce(ended_at, excluded.ended_at), received_at = excluded.received_at
                    """, arguments: [batch.projectID, session.sessionID, status.rawValue, durationMs, session.ts, batch.receivedAt])
            }
        }
    }

    private func upsertRelease(_ release: ReleaseRecord, projectID: Int64, at ts: Int64, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO releases (project_id, version, environment, commit_sha, branch, author, message, first_seen, last_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (project_id, version, environment) DO UPDATE SET
                commit_sha = coalesce(excluded.commit_sha, commit_sha), branch = coalesce(excluded.branch, branch),
                author = coalesce(excluded.author, author), message = coalesce(excluded.message, message),
                first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
            """, arguments: [
                projectID, release.version, release.environment, release.commitSHA, release.branch, release.author, release.message, ts, ts,
            ])
    }

    /// An error reported from inside a release-health session escalates that session (only ever
    /// upwards) and counts against it, so a running session shows its errors before it ends.
    static func markReleaseSession(_ mark: IngestPlan.ReleaseSessionError, db: Database) throws {
        let (projectID, sessionID, status) = (mark.projectID, mark.sessionID, mark.status)
        try db.cachedStatement(sql: """
            UPDATE release_sessions SET error_count = error_count + 1,
                status = CASE WHEN \(Self.severity(of: "?")) > \(Self.severity(of: "status")) THEN ? ELSE status END
            WHERE project_id = ? AND session_id = ?
            """).execute(arguments: [status.rawValue, status.rawValue, projectID, sessionID])
    }

    func insertDatabaseQueries(_ batch: DatabaseQueryBatch, db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO db_queries (project_id, ts, received_at, query_hash, normalized_query, query_type, duration_ms, failed,
                error_message, database_name, database_type, service, environment, trace_id, span_id, parent_span_id, rows_affected)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for query in batch.queries {
            insert.setUncheckedArguments([
                batch.projectID, query.ts, batch.receivedAt, query.queryHash, query.normalizedQuery, query.queryType, query.durationMs,
                query.failed, query.errorMessage, query.databaseName, query.databaseType, query.service, query.environment,
                query.traceID, query.spanID, query.parentSpanID, query.rowsAffected,
            ])
            try insert.execute()
        }
    }

    /// A retried envelope carries the same file again: one row per event, file name and content.
    func insertAttachment(_ attachment: AttachmentRecord, db: Database) throws -> IngestOutcome {
        try db.execute(sql: """
            INSERT OR IGNORE INTO attachments (project_id, event_id, filename, content_type, byte_size, sha256, blob_key, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                attachment.projectID, attachment.eventID, attachment.filename, attachment.contentType, attachment.byteSize,
                attachment.sha256, attachment.blobKey, attachment.receivedAt,
            ])
        return db.changesCount == 1 ? .stored : .duplicate
    }
}
