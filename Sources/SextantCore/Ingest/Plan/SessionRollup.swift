/// What one commit changes in `sessions`, `users` and `user_sessions`, folded in memory first so
/// that each touched row is upserted once per commit instead of once per event. Backends write the
/// rows in key order, so concurrent writers take their locks in one order and cannot deadlock.
package struct SessionRollup {
    package struct SessionKey: Hashable, Comparable {
        package var projectID: Int64
        package var sessionID: String

        package static func < (a: Self, b: Self) -> Bool { (a.projectID, a.sessionID) < (b.projectID, b.sessionID) }
    }

    package struct SessionDelta {
        package var userID: String?
        package var userTs: Int64 = .min
        package var startedAt: Int64 = .max
        package var lastSeen: Int64 = .min
        package var events = 0
        package var errors = 0
        package var chunks = 0
        package var entryURL: String?
        package var entryTs: Int64 = .max
        package var device: DeviceInfo?
    }

    package struct UserKey: Hashable, Comparable {
        package var projectID: Int64
        package var userID: String

        package static func < (a: Self, b: Self) -> Bool { (a.projectID, a.userID) < (b.projectID, b.userID) }
    }

    package struct UserDelta {
        package var firstSeen: Int64 = .max
        package var lastSeen: Int64 = .min
        package var sessions: Set<String> = []
        /// Property changes in the order they arrived: later `set` values win, earlier `setOnce` ones.
        package var set: [String: JSONValue] = [:]
        package var setOnce: [String: JSONValue] = [:]
    }

    package var sessions: [SessionKey: SessionDelta] = [:]
    package var users: [UserKey: UserDelta] = [:]

    package mutating func add(_ event: IngestEvent, projectID: Int64, device: DeviceInfo? = nil) {
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

    package mutating func addProperties(_ update: UserPropertyUpdate, projectID: Int64) {
        let key = UserKey(projectID: projectID, userID: update.userID)
        touchUser(key, from: update.ts, to: update.ts, sessionID: nil)
        users[key]?.set.merge(update.set) { $1 }
        users[key]?.setOnce.merge(update.setOnce) { first, _ in first }
    }

    package mutating func addChunk(_ chunk: ReplayChunkRecord, hint: SessionHint) {
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

    /// Sessions and users in key order: every backend writes them so.
    package var sortedSessions: [(key: SessionKey, value: SessionDelta)] { sessions.sorted { $0.key < $1.key } }
    package var sortedUsers: [(key: UserKey, value: UserDelta)] { users.sorted { $0.key < $1.key } }
}
