import PostgresNIO
import SextantCore

/// An issue's occurrences by day and by tag, and its latest occurrences, written in the
/// grouping transaction and read for the issue's page.
enum PostgresIssueActivity {
    static func record(_ group: OccurrenceGroup, issueID: String, tx: PostgresTransaction) async throws {
        for (day, count) in group.days.sorted(by: { $0.key < $1.key }) {
            try await tx.execute("""
                INSERT INTO issue_days (issue_id, day, count) VALUES (\(issueID), \(day), \(count))
                ON CONFLICT (issue_id, day) DO UPDATE SET count = issue_days.count + excluded.count
                """)
        }
        // Sorted, so concurrent writers take these rows in one order.
        for (tag, count) in group.tagCounts.sorted(by: { $0.key < $1.key }) {
            try await tx.execute("""
                INSERT INTO issue_tags (issue_id, key, value, count) VALUES (\(issueID), \(tag.key), \(tag.value), \(count))
                ON CONFLICT (issue_id, key, value) DO UPDATE SET count = issue_tags.count + excluded.count
                """)
        }
        for occurrence in group.latest {
            try await tx.execute("""
                INSERT INTO issue_occurrences (issue_id, ts, event_id, session_id, user_id, tags)
                VALUES (\(issueID), \(occurrence.ts), \(occurrence.eventID), \(occurrence.sessionID), \(occurrence.userID), \(IssueTag.encode(occurrence.tags)))
                """)
        }
        // Only the latest are kept: the list stays bounded however often the error recurs.
        try await tx.execute("""
            DELETE FROM issue_occurrences WHERE issue_id = \(issueID) AND id <= (
                SELECT id FROM issue_occurrences WHERE issue_id = \(issueID) ORDER BY id DESC LIMIT 1 OFFSET \(Int64(IssueActivity.keptOccurrences)))
            """)
    }

    static func activity(issueID: String, from: Int64?, to: Int64?, database: PostgresBackend) async throws -> IssueActivity {
        let firstDay = from.map { $0 / UTCDay.millisecondsPerDay }
        let lastDay = to.map { $0 / UTCDay.millisecondsPerDay }
        var counts: [Int64: Int] = [:]
        for row in try await database.rows("""
            SELECT day, count FROM issue_days WHERE issue_id = \(issueID)
                AND (\(firstDay)::bigint IS NULL OR day >= \(firstDay)) AND (\(lastDay)::bigint IS NULL OR day <= \(lastDay))
            """) {
            let (day, count) = try row.decode((Int64, Int64).self)
            counts[day] = Int(count)
        }
        // Every day of the range, quiet ones as zero; without a range, the issue's first to last day.
        var days: [Aggregates.DayCount] = []
        if let first = firstDay ?? counts.keys.min(), let last = lastDay ?? counts.keys.max() {
            days = Aggregates.everyDay(from: first, to: last, counts: counts)
        }
        var breakdowns: [IssueActivity.TagBreakdown] = []
        for keyRow in try await database.rows("""
            SELECT key, sum(count)::bigint AS total FROM issue_tags WHERE issue_id = \(issueID) GROUP BY key ORDER BY total DESC, key
            """) {
            let (key, total) = try keyRow.decode((String, Int64).self)
            let values = try await database.rows("""
                SELECT value, count FROM issue_tags WHERE issue_id = \(issueID) AND key = \(key) ORDER BY count DESC, value LIMIT 10
                """).map { row in
                let (value, count) = try row.decode((String, Int64).self)
                return IssueActivity.TagValue(value: value, count: count)
            }
            breakdowns.append(IssueActivity.TagBreakdown(key: key, total: total, values: values))
        }
        let occurrences = try await database.rows("""
            SELECT ts, event_id, session_id, user_id, tags FROM issue_occurrences WHERE issue_id = \(issueID)
                AND (\(from)::bigint IS NULL OR ts >= \(from)) AND (\(to)::bigint IS NULL OR ts <= \(to))
            ORDER BY ts DESC, id DESC LIMIT \(Int64(IssueActivity.keptOccurrences))
            """).map { row in
            let (ts, eventID, sessionID, userID, tags) = try row.decode((Int64, Int64?, String?, String?, String).self)
            return IssueActivity.Occurrence(ts: ts, eventID: eventID, sessionID: sessionID, userID: userID, tags: IssueTag.decode(tags))
        }
        return IssueActivity(days: days, tags: breakdowns, occurrences: occurrences)
    }
}
