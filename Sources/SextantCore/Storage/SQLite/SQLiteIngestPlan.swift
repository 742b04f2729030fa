import GRDB

/// Executes an ingest plan in the commit's transaction, each kind of row in key order.
extension IngestPlan {
    func execute(_ db: Database) throws {
        try rollup.apply(db)
        for (id, matches) in signals.sortedMatches {
            try db.cachedStatement(sql: """
                UPDATE signals SET match_count = match_count + ?, last_match_at = max(coalesce(last_match_at, 0), ?) WHERE id = ?
                """).execute(arguments: [matches.count, matches.lastAt, id])
        }
        for (key, group) in issues.sortedGroups {
            try SQLiteIssueRecorder.record(group, projectID: key.projectID, now: latestReceipt, db: db)
        }
        for mark in sortedReleaseSessionErrors {
            try SQLiteIngestStore.markReleaseSession(mark, db: db)
        }
        for report in bugReports {
            try SQLiteAlertOutbox.enqueueBugReport(report.event, projectID: report.projectID, now: report.receivedAt, db: db)
        }
    }
}
