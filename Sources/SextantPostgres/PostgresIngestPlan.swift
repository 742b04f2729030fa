import PostgresNIO
import SextantCore

/// Executes an ingest plan in the commit's transaction, each kind of row in key order, so two
/// nodes committing at once take their row locks in one order and never deadlock.
extension IngestPlan {
    func execute(_ tx: PostgresTransaction) async throws {
        try await rollup.apply(tx)
        for (id, matches) in signals.sortedMatches {
            try await tx.execute("""
                UPDATE signals SET match_count = match_count + \(Int64(matches.count)),
                    last_match_at = GREATEST(coalesce(last_match_at, 0), \(matches.lastAt))
                WHERE id = \(id)
                """)
        }
        for (key, group) in issues.sortedGroups {
            try await PostgresIssueRecorder.record(group, projectID: key.projectID, now: latestReceipt, tx: tx)
        }
        for mark in sortedReleaseSessionErrors {
            try await PostgresReleaseHealth.mark(mark, tx: tx)
        }
        for report in bugReports {
            try await PostgresAlertOutbox.enqueueBugReport(report.event, projectID: report.projectID, now: report.receivedAt, tx: tx)
        }
    }
}

/// Writes a commit's session and user rollup.
extension SessionRollup {
    func apply(_ tx: PostgresTransaction) async throws {
        for (key, delta) in sortedSessions {
            try await tx.execute("""
                INSERT INTO sessions (project_id, session_id, user_id, started_at, last_seen, event_count, error_count, chunk_count,
                    entry_url, entry_ts, browser, os, device)
                VALUES (\(key.projectID), \(key.sessionID), \(delta.userID), \(delta.startedAt), \(delta.lastSeen), \(Int64(delta.events)),
                    \(Int64(delta.errors)), \(Int64(delta.chunks)), \(delta.entryURL), \(delta.entryURL == nil ? nil : delta.entryTs),
                    \(delta.device?.browser), \(delta.device?.os), \(delta.device?.device.rawValue))
                ON CONFLICT (project_id, session_id) DO UPDATE SET
                    browser = coalesce(sessions.browser, excluded.browser), os = coalesce(sessions.os, excluded.os),
                    device = coalesce(sessions.device, excluded.device),
                    user_id = coalesce(excluded.user_id, sessions.user_id),
                    started_at = LEAST(sessions.started_at, excluded.started_at),
                    last_seen = GREATEST(sessions.last_seen, excluded.last_seen),
                    event_count = sessions.event_count + excluded.event_count,
                    error_count = sessions.error_count + excluded.error_count,
                    chunk_count = sessions.chunk_count + excluded.chunk_count,
                    entry_url = CASE WHEN excluded.entry_ts < coalesce(sessions.entry_ts, 9223372036854775807)
                        THEN excluded.entry_url ELSE sessions.entry_url END,
                    entry_ts = CASE WHEN excluded.entry_ts < coalesce(sessions.entry_ts, 9223372036854775807)
                        THEN excluded.entry_ts ELSE sessions.entry_ts END
                """)
        }
        for (key, delta) in sortedUsers {
            let sessions = delta.sessions.sorted()
            let newSessions = sessions.isEmpty ? 0 : try await tx.count("""
                INSERT INTO user_sessions (project_id, user_id, session_id)
                SELECT \(key.projectID), \(key.userID), session_id FROM unnest(\(sessions)::text[]) AS s (session_id)
                ON CONFLICT DO NOTHING RETURNING 1
                """)
            // `setOnce` fills in what the user lacks ($set_once), `set` overwrites ($set): JSON merge patches.
            let setOnce = delta.setOnce.isEmpty ? nil : JSONValue.object(delta.setOnce).jsonText
            let set = delta.set.isEmpty ? nil : JSONValue.object(delta.set).jsonText
            try await tx.execute("""
                INSERT INTO users (project_id, user_id, first_seen, last_seen, session_count, properties)
                VALUES (\(key.projectID), \(key.userID), \(delta.firstSeen), \(delta.lastSeen), \(Int64(newSessions)),
                    CASE WHEN \(setOnce)::text IS NULL AND \(set)::text IS NULL THEN NULL
                        ELSE sextant_merge_patch(coalesce(\(setOnce)::jsonb, '{}'), coalesce(\(set)::jsonb, '{}'))::text END)
                ON CONFLICT (project_id, user_id) DO UPDATE SET
                    first_seen = LEAST(users.first_seen, excluded.first_seen),
                    last_seen = GREATEST(users.last_seen, excluded.last_seen),
                    session_count = users.session_count + excluded.session_count,
                    properties = CASE WHEN \(setOnce)::text IS NULL AND \(set)::text IS NULL THEN users.properties
                        ELSE sextant_merge_patch(sextant_merge_patch(coalesce(\(setOnce)::jsonb, '{}'), sextant_jsonb_object(users.properties)),
                            coalesce(\(set)::jsonb, '{}'))::text END
                """)
        }
    }
}

/// Each project's active signals, read once per commit rather than once per event.
struct PostgresActiveSignals {
    private var byProject: [Int64: [ActiveSignal]] = [:]

    mutating func of(_ projectID: Int64, tx: PostgresTransaction) async throws -> [ActiveSignal] {
        if let cached = byProject[projectID] { return cached }
        let rows = try await tx.rows("SELECT id, match FROM signals WHERE project_id = \(projectID) AND status = 'active'")
        // A stored condition that no longer parses matches nothing; it must not fail the commit.
        let loaded = try rows.compactMap { row -> ActiveSignal? in
            let (id, text) = try row.decode((String, String).self)
            guard let match = try? SignalMatch(jsonText: text) else { return nil }
            return ActiveSignal(id: id, match: match)
        }
        byProject[projectID] = loaded
        return loaded
    }
}
