import GRDB

/// Writes a commit's session and user rollup in SQLite.
extension SessionRollup {
    func apply(_ db: Database) throws {
        let upsertSession = try db.cachedStatement(sql: """
            INSERT INTO sessions (project_id, session_id, user_id, started_at, last_seen, event_count, error_count, chunk_count,
                entry_url, entry_ts, browser, os, device)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            ON CONFLICT (project_id, session_id) DO UPDATE SET
                browser = coalesce(browser, excluded.browser), os = coalesce(os, excluded.os), device = coalesce(device, excluded.device),
                user_id = coalesce(excluded.user_id, user_id),
                started_at = min(started_at, excluded.started_at),
                last_seen = max(last_seen, excluded.last_seen),
                event_count = event_count + excluded.event_count,
                error_count = error_count + excluded.error_count,
                chunk_count = chunk_count + excluded.chunk_count,
                entry_url = CASE WHEN excluded.entry_ts < coalesce(entry_ts, 9223372036854775807) THEN excluded.entry_url ELSE entry_url END,
                entry_ts = CASE WHEN excluded.entry_ts < coalesce(entry_ts, 9223372036854775807) THEN excluded.entry_ts ELSE entry_ts END
            """)
        for (key, delta) in sortedSessions {
            upsertSession.setUncheckedArguments([
                key.projectID, key.sessionID, delta.userID, delta.startedAt, delta.lastSeen, delta.events, delta.errors,
                delta.chunks, delta.entryURL, delta.entryURL == nil ? nil : delta.entryTs,
                delta.device?.browser, delta.device?.os, delta.device?.device.rawValue,
            ])
            try upsertSession.execute()
        }
        let linkSession = try db.cachedStatement(sql: """
            INSERT INTO user_sessions (project_id, user_id, session_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING
            """)
        // Properties: ?6 fills in what the user lacks ($set_once), ?7 overwrites ($set).
        let upsertUser = try db.cachedStatement(sql: """
            INSERT INTO users (project_id, user_id, first_seen, last_seen, session_count, properties)
            VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?6 IS NULL AND ?7 IS NULL THEN NULL ELSE json_patch(coalesce(?6, '{}'), coalesce(?7, '{}')) END)
            ON CONFLICT (project_id, user_id) DO UPDATE SET
                first_seen = min(first_seen, excluded.first_seen),
                last_seen = max(last_seen, excluded.last_seen),
                session_count = session_count + excluded.session_count,
                properties = CASE WHEN ?6 IS NULL AND ?7 IS NULL THEN properties
                    ELSE json_patch(json_patch(coalesce(?6, '{}'), CASE WHEN json_valid(properties) THEN properties ELSE '{}' END), coalesce(?7, '{}')) END
            """)
        for (key, delta) in sortedUsers {
            var newSessions = 0
            for sessionID in delta.sessions.sorted() {
                linkSession.setUncheckedArguments([key.projectID, key.userID, sessionID])
                try linkSession.execute()
                newSessions += db.changesCount
            }
            upsertUser.setUncheckedArguments([
                key.projectID, key.userID, delta.firstSeen, delta.lastSeen, newSessions,
                delta.setOnce.isEmpty ? nil : JSONValue.object(delta.setOnce).jsonText, delta.set.isEmpty ? nil : JSONValue.object(delta.set).jsonText,
            ])
            try upsertUser.execute()
        }
    }
}
