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
        let sessions = sortedSessions
        if !sessions.isEmpty {
            var rows = PostgresBulkRows(types: [
                "bigint", "text", "text", "bigint", "bigint", "bigint", "bigint", "bigint", "text", "bigint", "text", "text", "text",
            ])
            for (key, delta) in sessions {
                rows[0].append(key.projectID)
                rows[1].append(key.sessionID)
                rows[2].append(delta.userID)
                rows[3].append(delta.startedAt)
                rows[4].append(delta.lastSeen)
                rows[5].append(delta.events)
                rows[6].append(delta.errors)
                rows[7].append(delta.chunks)
                rows[8].append(delta.entryURL)
                rows[9].append(delta.entryURL == nil ? nil : delta.entryTs)
                rows[10].append(delta.device?.browser)
                rows[11].append(delta.device?.os)
                rows[12].append(delta.device?.device.rawValue)
            }
            // One statement for every session of the commit, its rows in key order (each key once).
            var statement = PostgresQueryBuilder()
            statement.append("""
                INSERT INTO sessions (project_id, session_id, user_id, started_at, last_seen, event_count, error_count, chunk_count,
                    entry_url, entry_ts, browser, os, device)
                SELECT project_id, session_id, user_id, started_at, last_seen, event_count, error_count, chunk_count, entry_url, entry_ts,
                    browser, os, device
                FROM \(rows.unnest(binding: &statement)) WITH ORDINALITY AS batch (project_id, session_id, user_id, started_at, last_seen,
                    event_count, error_count, chunk_count, entry_url, entry_ts, browser, os, device, position)
                ORDER BY position
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
            try await tx.execute(statement.query)
        }
        let users = sortedUsers
        guard !users.isEmpty else { return }
        // Which sessions are new to each user: one insert of every (user, session) pair.
        var links = PostgresBulkRows(types: ["bigint", "text", "text"])
        for (key, delta) in users {
            for session in delta.sessions.sorted() {
                links[0].append(key.projectID)
                links[1].append(key.userID)
                links[2].append(session)
            }
        }
        func name(_ projectID: Int64, _ userID: String) -> String { "\(projectID)\u{0}\(userID)" }
        var newSessions: [String: Int64] = [:]
        if users.contains(where: { !$0.value.sessions.isEmpty }) {
            var statement = PostgresQueryBuilder()
            statement.append("""
                INSERT INTO user_sessions (project_id, user_id, session_id) SELECT * FROM \(links.unnest(binding: &statement))
                ON CONFLICT DO NOTHING RETURNING project_id, user_id
                """)
            for row in try await tx.rows(statement.query) {
                let (projectID, userID) = try row.decode((Int64, String).self)
                newSessions[name(projectID, userID), default: 0] += 1
            }
        }
        var rows = PostgresBulkRows(types: ["bigint", "text", "bigint", "bigint", "bigint"])
        var properties = PostgresBulkRows(types: ["bigint", "text", "text", "text"])
        for (key, delta) in users {
            rows[0].append(key.projectID)
            rows[1].append(key.userID)
            rows[2].append(delta.firstSeen)
            rows[3].append(delta.lastSeen)
            rows[4].append(newSessions[name(key.projectID, key.userID)] ?? 0)
            guard !delta.setOnce.isEmpty || !delta.set.isEmpty else { continue }
            properties[0].append(key.projectID)
            properties[1].append(key.userID)
            properties[2].append(delta.setOnce.isEmpty ? nil : JSONValue.object(delta.setOnce).jsonText)
            properties[3].append(delta.set.isEmpty ? nil : JSONValue.object(delta.set).jsonText)
        }
        var upsert = PostgresQueryBuilder()
        upsert.append("""
            INSERT INTO users (project_id, user_id, first_seen, last_seen, session_count)
            SELECT project_id, user_id, first_seen, last_seen, session_count
            FROM \(rows.unnest(binding: &upsert)) WITH ORDINALITY AS batch (project_id, user_id, first_seen, last_seen, session_count, position)
            ORDER BY position
            ON CONFLICT (project_id, user_id) DO UPDATE SET
                first_seen = LEAST(users.first_seen, excluded.first_seen),
                last_seen = GREATEST(users.last_seen, excluded.last_seen),
                session_count = users.session_count + excluded.session_count
            """)
        try await tx.execute(upsert.query)
        guard users.contains(where: { !$0.value.setOnce.isEmpty || !$0.value.set.isEmpty }) else { return }
        // `set_once` fills in what the user lacks ($set_once), `set` overwrites ($set): JSON merge
        // patches, on rows the upsert above has already locked.
        var update = PostgresQueryBuilder()
        update.append("""
            UPDATE users SET properties = sextant_merge_patch(
                    sextant_merge_patch(coalesce(patch.set_once::jsonb, '{}'), sextant_jsonb_object(users.properties)),
                    coalesce(patch.set::jsonb, '{}'))::text
            FROM \(properties.unnest(binding: &update)) AS patch (project_id, user_id, set_once, set)
            WHERE users.project_id = patch.project_id AND users.user_id = patch.user_id
            """)
        try await tx.execute(update.query)
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
