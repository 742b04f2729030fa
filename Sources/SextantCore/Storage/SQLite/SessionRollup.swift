import GRDB

/// What one commit changes in `sessions`, `users` and `user_sessions`, folded in memory first so
/// that each touched row is upserted once per commit instead of once per event. Rows are written
/// in key order, so concurrent writers take their locks in one order and cannot deadlock.
struct SessionRollup {
    struct SessionKey: Hashable, Comparable {
        var projectID: Int64
        var sessionID: String

        static func < (a: Self, b: Self) -> Bool { (a.projectID, a.sessionID) < (b.projectID, b.sessionID) }
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
        var device: DeviceInfo?
    }

    struct UserKey: Hashable, Comparable {
        var projectID: Int64
        var userID: String

        static func < (a: Self, b: Self) -> Bool { (a.projectID, a.userID) < (b.projectID, b.userID) }
    }

    struct UserDelta {
        var firstSeen: Int64 = .max
        var lastSeen: Int64 = .min
        var sessions: Set<String> = []
        /// Property changes in the order they arrived: later `set` values win, earlier `setOnce` ones.
        var set: [String: JSONValue] = [:]
        var setOnce: [String: JSONValue] = [:]
    }

    var sessions: [SessionKey: SessionDelta] = [:]
    var users: [UserKey: UserDelta] = [:]

    mutating func add(_ event: IngestEvent, projectID: Int64, device: DeviceInfo? = nil) {
        if let sessionID = event.sessionID {
            touchSession(SessionKey(projectID: projectID, sessionID: sessionID), from: event.ts, to: event.ts,
                         userID: event.userID, entryURL: event.url) { delta in
                delta.events += 1
                if event.type == .error { delta.errors += 1 }
                if delta.device == nil { delta.device = device }
            }
        }
        if let identity = event.identity {
            touchUser(UserKey(projectID: projectID, userID: identity), from: event.ts, to: event.ts, sessionID: event.sessionID)
        }
    }

    mutating func addProperties(_ update: UserPropertyUpdate, projectID: Int64) {
        let key = UserKey(projectID: projectID, userID: update.userID)
        touchUser(key, from: update.ts, to: update.ts, sessionID: nil)
        users[key]?.set.merge(update.set) { $1 }
        users[key]?.setOnce.merge(update.setOnce) { first, _ in first }
    }

    mutating func addChunk(_ chunk: ReplayChunkRecord, hint: SessionHint) {
        touchSession(SessionKey(projectID: chunk.projectID, sessionID: chunk.sessionID), from: chunk.ts, to: chunk.endTs,
                     userID: hint.userID, entryURL: hint.entryURL) { delta in
            delta.chunks += 1
            if delta.device == nil { delta.device = DeviceInfo(userAgent: hint.userAgent) }
        }
        if let userID = hint.userID {
            touchUser(UserKey(projectID: chunk.projectID, userID: userID), from: chunk.ts, to: chunk.endTs, sessionID: chunk.sessionID)
            if !hint.userProperties.isEmpty {
                addProperties(UserPropertyUpdate(userID: userID, ts: chunk.endTs, set: hint.userProperties), projectID: chunk.projectID)
            }
        }
    }

    /// Widens a session's span; its user is the latest one seen, its entry URL the earliest.
    private mutating func touchSession(
        _ key: SessionKey, from: Int64, to: Int64, userID: String?, entryURL: String?, count: (inout SessionDelta) -> Void
    ) {
        var delta = sessions[key] ?? SessionDelta()
        delta.startedAt = min(delta.startedAt, from)
        delta.lastSeen = max(delta.lastSeen, to)
        if let userID, from >= delta.userTs {
            delta.userID = userID
            delta.userTs = from
        }
        if let entryURL, from < delta.entryTs {
            delta.entryURL = entryURL
            delta.entryTs = from
        }
        count(&delta)
        sessions[key] = delta
    }

    private mutating func touchUser(_ key: UserKey, from: Int64, to: Int64, sessionID: String?) {
        var delta = users[key] ?? UserDelta()
        delta.firstSeen = min(delta.firstSeen, from)
        delta.lastSeen = max(delta.lastSeen, to)
        if let sessionID { delta.sessions.insert(sessionID) }
        users[key] = delta
    }

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
        for (key, delta) in sessions.sorted(by: { $0.key < $1.key }) {
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
        for (key, delta) in users.sorted(by: { $0.key < $1.key }) {
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
