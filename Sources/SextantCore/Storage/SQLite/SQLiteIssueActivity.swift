import GRDB

/// An issue's occurrences by day and by tag, and its latest occurrences, written in the
/// grouping transaction and read for the issue's page.
enum SQLiteIssueActivity {
    static func record(_ group: OccurrenceGroup, issueID: String, db: Database) throws {
        for (day, count) in group.days.sorted(by: { $0.key < $1.key }) {
            try db.cachedStatement(sql: """
                INSERT INTO issue_days (issue_id, day, count) VALUES (?, ?, ?)
                ON CONFLICT (issue_id, day) DO UPDATE SET count = count + excluded.count
                """).execute(arguments: [issueID, day, count])
        }
        // Sorted, so concurrent writers would take these rows in one order.
        for (tag, count) in group.tagCounts.sorted(by: { $0.key < $1.key }) {
            try db.cachedStatement(sql: """
                INSERT INTO issue_tags (issue_id, key, value, count) VALUES (?, ?, ?, ?)
                ON CONFLICT (issue_id, key, value) DO UPDATE SET count = count + excluded.count
                """).execute(arguments: [issueID, tag.key, tag.value, count])
        }
        for occurrence in group.latest {
            try db.cachedStatement(sql: "INSERT INTO issue_occurrences (issue_id, ts, event_id, session_id, user_id, tags) VALUES (?, ?, ?, ?, ?, ?)")
                .execute(arguments: [issueID, occurrence.ts, occurrence.eventID, occurrence.sessionID, occurrence.userID, IssueTag.encode(occurrence.tags)])
        }
        // Only the latest are kept: the list stays bounded however often the error recurs.
        try db.cachedStatement(sql: """
            DELETE FROM issue_occurrences WHERE issue_id = ?1 AND id <= (
                SELECT id FROM issue_occurrences WHERE issue_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)
            """).execute(arguments: [issueID, IssueActivity.keptOccurrences])
    }

    static func activity(issueID: String, from: Int64?, to: Int64?, db: Database) throws -> IssueActivity {
        let firstDay = from.map { $0 / UTCDay.millisecondsPerDay }
        let lastDay = to.map { $0 / UTCDay.millisecondsPerDay }
        let counts = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
            SELECT day, count FROM issue_days WHERE issue_id = ? AND (?2 IS NULL OR day >= ?2) AND (?3 IS NULL OR day <= ?3)
            """, arguments: [issueID, firstDay, lastDay]).map { ($0["day"] as Int64, $0["count"] as Int) })
        // Every day of the range, quiet ones as zero; without a range, the issue's first to last day.
        var days: [Aggregates.DayCount] = []
        if let first = firstDay ?? counts.keys.min(), let last = lastDay ?? counts.keys.max() {
            days = Aggregates.everyDay(from: first, to: last, counts: counts)
        }
        var breakdowns: [IssueActivity.TagBreakdown] = []
        let keys = try Row.fetchAll(db, sql: """
            SELECT key, sum(count) AS total FROM issue_tags WHERE issue_id = ? GROUP BY key ORDER BY total DESC, key
            """, arguments: [issueID])
        for key in keys {
            let values = try Row.fetchAll(db, sql: """
                SELECT value, count FROM issue_tags WHERE issue_id = ? AND key = ? ORDER BY count DESC, value LIMIT 10
                """, arguments: [issueID, key["key"] as String]).map { IssueActivity.TagValue(value: $0["value"], count: $0["count"]) }
            breakdowns.append(IssueActivity.TagBreakdown(key: key["key"], total: key["total"], values: values))
        }
        let occurrences = try Row.fetchAll(db, sql: """
            SELECT ts, event_id, session_id, user_id, tags FROM issue_occurrences WHERE issue_id = ?
                AND (?2 IS NULL OR ts >= ?2) AND (?3 IS NULL OR ts <= ?3)
            ORDER BY ts DESC, id DESC LIMIT ?4
            """, arguments: [issueID, from, to, IssueActivity.keptOccurrences]).map { row in
            IssueActivity.Occurrence(ts: row["ts"], eventID: row["event_id"], sessionID: row["session_id"], userID: row["user_id"], tags: IssueTag.decode(row["tags"]))
        }
        return IssueActivity(days: days, tags: breakdowns, occurrences: occurrences)
    }
}
