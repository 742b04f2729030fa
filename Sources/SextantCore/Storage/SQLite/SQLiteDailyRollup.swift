import GRDB

/// Applies one commit's `DailyRollup`: new identities first (each one new that day adds to its
/// daily active users), then every counter as one upsert, all in sorted key order.
extension DailyRollup {
    func apply(_ db: Database) throws {
        guard !isEmpty else { return }
        // Each day's identities go in with multi-row inserts: how many rows took is how many
        // identities were new that day (one statement per row cost ingest a third of its rate).
        var activeChanges: [Counter: Int] = [:]
        for (day, identities) in sortedIdentities {
            var inserted = 0
            for start in stride(from: 0, to: identities.count, by: Self.rowsPerInsert) {
                let rows = identities[start..<min(start + Self.rowsPerInsert, identities.count)]
                let sql = """
                    INSERT INTO daily_identities (project_id, day, identity) VALUES \(Array(repeating: "(?, ?, ?)", count: rows.count).joined(separator: ", "))
                    ON CONFLICT DO NOTHING
                    """
                // Only the full-size statement is worth caching; the remainder's size varies.
                let statement = rows.count == Self.rowsPerInsert ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
                var arguments = StatementArguments()
                for identity in rows { arguments += [day.projectID, day.day, identity] }
                statement.setUncheckedArguments(arguments)
                try statement.execute()
                inserted += db.changesCount
            }
            if inserted > 0 { activeChanges[Counter(projectID: day.projectID, kind: .dau, day: day.day, key: ""), default: 0] += inserted }
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
        for day in sortedPurgedDays { try Self.recountIdentities(db, day: day) }
    }

    /// Distinct identities per statement: SQLite allows 32,766 parameters.
    static let rowsPerInsert = 500

    /// A day's identities and daily active users, again from the events that remain.
    static func recountIdentities(_ db: Database, day: Day) throws {
        let start = day.day * UTCDay.millisecondsPerDay
        try db.execute(sql: "DELETE FROM daily_identities WHERE project_id = ? AND day = ?", arguments: [day.projectID, day.day])
        try db.execute(sql: """
            INSERT INTO daily_identities (project_id, day, identity)
            SELECT DISTINCT project_id, ?, coalesce(user_id, session_id) FROM events
            WHERE project_id = ? AND ts BETWEEN ? AND ? AND coalesce(user_id, session_id) IS NOT NULL
            """, arguments: [day.day, day.projectID, start, start + UTCDay.millisecondsPerDay - 1])
        let active = db.changesCount
        try db.execute(sql: "DELETE FROM daily_counts WHERE project_id = ? AND kind = 'dau' AND day = ?", arguments: [day.projectID, day.day])
        if active > 0 {
            try db.execute(sql: "INSERT INTO daily_counts (project_id, kind, day, key, count) VALUES (?, 'dau', ?, '', ?)",
                           arguments: [day.projectID, day.day, active])
        }
    }

    /// Builds the counters of events stored before the rollups existed (migration v12).
    static func backfill(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO daily_identities (project_id, day, identity)
            SELECT DISTINCT project_id, ts / 86400000, coalesce(user_id, session_id) FROM events WHERE coalesce(user_id, session_id) IS NOT NULL;
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
