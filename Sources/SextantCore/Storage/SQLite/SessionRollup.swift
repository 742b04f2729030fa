import GRDB

/// What one commit changes in `sessions`, `users` and `user_sessions`, folded in memory first so
/// that each touched row is upserted once per commit instead of once per event.
struct SessionRollup {
    struct SessionKey: Hashable {
        var projectID: Int64
        var sessionID: String
    }

    struct SessionDelta {
        var userID: String?
        var userTs: Int64 = .min
        var startedAt: Int64 = .max
        var lastSeen: Int64 = .min
        var events = 0
        var errors = 0
        var chunks = 0
        var entryURL: String?
        var entryTs: Int64 = .max
    }

    struct UserKey: Hashable {
        var projectID: Int64
        var userID: String
    }

    struct UserDelta {
        var firstSeen: Int64 = .max
        var lastSeen: Int64 = .min
        var sessions: Set<String> = []
    }

    var sessions: [SessionKey: SessionDelta] = [:]
    var users: [UserKey: UserDelta] = [:]

    mutating func add(_ event: IngestEvent, projectID: Int64) {
        if let sessionID = event.sessionID {
            let key = SessionKey(projectID: projectID, sessionID: sessionID)
            var delta = sessions[key] ?? SessionDelta()
            delta.startedAt = min(delta.startedAt, event.ts)
            delta.lastSeen = max(delta.lastSeen, event.ts)
            delta.events += 1
            if event.type == .error { delta.errors += 1 }
            if let userID = event.userID, event.ts >= delta.userTs {
                delta.userID = userID
                delta.userTs = event.ts
            }
            if let url = event.url, event.ts < delta.entryTs {
                delta.entryURL = url
                delta.entryTs = event.ts
            }
            sessions[key] = delta
        }
        if let identity = event.identity {
            let key = UserKey(projectID: projectID, userID: identity)
            var delta = users[key] ?? UserDelta()
            delta.firstSeen = min(delta.firstSeen, event.ts)
            delta.lastSeen = max(delta.lastSeen, event.ts)
            if let sessionID = event.sessionID { delta.sessions.insert(sessionID) }
            users[key] = delta
        }
    }

    mutating func addChunk(_ chunk: ReplayChunkRecord, hint: SessionHint) {
        let key = SessionKey(projectID: chunk.projectID, sessionID: chunk.sessionID)
        var delta = sessions[key] ?? SessionDelta()
        delta.startedAt = min(delta.startedAt, chunk.ts)
        delta.lastSeen = max(delta.lastSeen, chunk.endTs)
        delta.chunks += 1
        if let userID = hint.userID, chunk.ts >= delta.userTs {
            delta.userID = userID
            delta.userTs = chunk.ts
        }
        if let url = hint.entryURL, chunk.ts < delta.entryTs {
            delta.entryURL = url
            delta.entryTs = chunk.ts
        }
        sessions[key] = delta
        if let userID = hint.userID {
            let userKey = UserKey(projectID: chunk.projectID, userID: userID)
            var user = users[userKey] ?? UserDelta()
            user.firstSeen = min(user.firstSeen, chunk.ts)
            user.lastSeen = max(user.lastSeen, chunk.endTs)
            user.sessions.insert(chunk.sessionID)
            users[userKey] = user
        }
    }

    func apply(_ db: Database) throws {
        let upsertSession = try db.cachedStatement(sql: """
            INSERT INTO sessions (project_id, session_id, user_id, started_at, last_seen, event_count, error_count, chunk_count,
                entry_url, entry_ts)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
            ON CONFLICT (project_id, session_id) DO UPDATE SET
                user_id = coalesce(excluded.user_id, user_id),
                started_at = min(started_at, excluded.started_at),
                last_seen = max(last_seen, excluded.last_seen),
                event_count = event_count + excluded.event_count,
                error_count = error_count + excluded.error_count,
                chunk_count = chunk_count + excluded.chunk_count,
                entry_url = CASE WHEN excluded.entry_ts < coalesce(entry_ts, 9223372036854775807) THEN excluded.entry_url ELSE entry_url END,
                entry_ts = CASE WHEN excluded.entry_ts < coalesce(entry_ts, 9223372036854775807) THEN excluded.entry_ts ELSE entry_ts END
            """)
        for (key, delta) in sessions {
            upsertSession.setUncheckedArguments([
                key.projectID, key.sessionID, delta.userID, delta.startedAt, delta.lastSeen, delta.events, delta.errors,
                delta.chunks, delta.entryURL, delta.entryURL == nil ? nil : delta.entryTs,
            ])
            try upsertSession.execute()
        }
        let linkSession = try db.cachedStatement(sql: """
            INSERT INTO user_sessions (project_id, user_id, session_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING
            """)
        let upsertUser = try db.cachedStatement(sql: """
            INSERT INTO users (project_id, user_id, first_seen, last_seen, session_count) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (project_id, user_id) DO UPDATE SET
                first_seen = min(first_seen, excluded.first_seen),
                last_seen = max(last_seen, excluded.last_seen),
                session_count = session_count + excluded.session_count
            """)
        for (key, delta) in users {
            var newSessions = 0
            for sessionID in delta.sessions {
                linkSession.setUncheckedArguments([key.projectID, key.userID, sessionID])
                try linkSession.execute()
                newSessions += db.changesCount
            }
            upsertUser.setUncheckedArguments([key.projectID, key.userID, delta.firstSeen, delta.lastSeen, newSessions])
            try upsertUser.execute()
        }
    }
}
