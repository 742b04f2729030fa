import GRDB

/// Applies one commit's `DailyRollup`: new identities first (each one new that day adds to its
/// daily active users), then every counter as one upsert, all in sorted key order.
extension DailyRollup {
    func apply(_ db: Database) throws {
        guard !isEmpty else { return }
        // An identity-day is new when its row holds just this commit's events, gone when none remain.
        let upsertIdentity = try db.cachedStatement(sql: """
            INSERT INTO daily_identities (project_id, day, identity, events) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (project_id, day, identity) DO UPDATE SET events = events + excluded.events RETURNING events
            """)
        let deleteIdentity = try db.cachedStatement(sql: "DELETE FROM daily_identities WHERE project_id = ? AND day = ? AND identity = ? AND events <= 0")
        var activeChanges: [Counter: Int] = [:]
        for (identity, delta) in sortedIdentities {
            let events = try Int.fetchOne(upsertIdentity, arguments: [identity.projectID, identity.day, identity.identity, delta]) ?? 0
            let dau = Counter(projectID: identity.projectID, kind: .dau, day: identity.day, key: "")
            if delta > 0, events == delta {
                activeChanges[dau, default: 0] += 1
            } else if delta < 0, events <= 0 {
                deleteIdentity.setUncheckedArguments([identity.projectID, identity.day, identity.identity])
                try deleteIdentity.execute()
                activeChanges[dau, default: 0] -= 1
            }
        }
        var counters = sortedCounts + activeChanges.filter { $0.value != 0 }.map { ($0.key, $0.value) }
        counters.sort { $0.0 < $1.0 }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO daily_counts (project_id, kind, day, key, count) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (project_id, kind, day, key) DO UPDATE SET count = count + excluded.count
            """)
        for (counter, count) in counters {
            upsert.setUncheckedArguments([counter.projectID, counter.kind.rawValue, counter.day, counter.key, count])
            try upsert.execute()
        }
        if counters.contains(where: { $0.1 < 0 }) { try db.execute(sql: "DELETE FROM daily_counts WHERE count <= 0") }
    }

    /// Builds the counters of events stored before the rollups existed (migration v12).
    static func backfill(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO daily_identities (project_id, day, identity, events)
            SELECT project_id, ts / 86400000, coalesce(user_id, session_id), count(*) FROM events
            WHERE coalesce(user_id, session_id) IS NOT NULL GROUP BY 1, 2, 3;
            INSERT INTO daily_counts (project_id, kind, day, key, count)
            SELECT project_id, 'dau', day, '', count(*) FROM daily_identities GROUP BY project_id, day;
            INSERT INTO daily_counts (project_id, kind, day, key, count)
            SELECT project_id, 'event', ts / 86400000, name, count(*) FROM events WHERE type = 'event' GROUP BY 1, 3, 4;
            INSERT INTO daily_counts (project_id, kind, day, key, count)
            SELECT project_id, 'error', ts / 86400000, '', count(*) FROM events WHERE type = 'error' GROUP BY 1, 3;
            """)
        // Paths are Swift's reading of a URL, the same as at ingest.
        var pages: [Counter: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT project_id, ts / 86400000, url, name, count(*) FROM events WHERE type = 'pageview' GROUP BY 1, 2, 3, 4
            """)
        while let row = try rows.next() {
            let url: String? = row[2]
            pages[Counter(projectID: row[0], kind: .page, day: row[1], key: URLPath.path(of: url ?? row[3])), default: 0] += row[4] as Int
        }
        let insert = try db.makeStatement(sql: "INSERT INTO daily_counts (project_id, kind, day, key, count) VALUES (?, ?, ?, ?, ?)")
        for (counter, count) in pages {
            insert.setUncheckedArguments([counter.projectID, counter.kind.rawValue, counter.day, counter.key, count])
            try insert.execute()
        }
    }
}
