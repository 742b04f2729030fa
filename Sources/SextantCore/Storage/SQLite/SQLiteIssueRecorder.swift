import Foundation
import GRDB

/// Groups one occurrence into its issue inside the caller's transaction, so the ingest that
/// answers 2xx has also committed the issue's count, and queues the alerts the change raises.
enum SQLiteIssueRecorder {
    @discardableResult
    static func record(_ occurrence: IssueOccurrence, projectID: Int64, now: Int64, db: Database) throws -> IssueTransition {
        try db.cachedStatement(sql: """
            INSERT INTO occurrence_hours (project_id, kind, hour, count) VALUES (?, ?, ?, 1)
            ON CONFLICT (project_id, kind, hour) DO UPDATE SET count = count + 1
            """).execute(arguments: [projectID, occurrence.kind.rawValue, now / 3_600_000])
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, status FROM issues WHERE project_id = ? AND kind = ? AND fingerprint = ?"),
            arguments: [projectID, occurrence.kind.rawValue, occurrence.fingerprint])
        guard let existing else {
            let id = UUID().uuidString.lowercased()
            try db.execute(sql: """
                INSERT INTO issues (id, organization_id, project_id, kind, fingerprint, title, description, culprit, level, status,
                    priority, count, user_count, session_count, first_seen, last_seen, sample_session_id, sample_event_id, sample_ts,
                    created_at, updated_at)
                SELECT ?, organization_id, id, ?, ?, ?, ?, ?, ?, 'unresolved', ?, 1, 0, 0, ?, ?, ?, ?, ?, ?, ? FROM projects WHERE id = ?
                """, arguments: [
                    id, occurrence.kind.rawValue, occurrence.fingerprint, occurrence.title, occurrence.description, occurrence.culprit,
                    occurrence.level, IssuePriority(level: occurrence.level).rawValue, occurrence.ts, occurrence.ts,
                    occurrence.sessionID, occurrence.eventID, occurrence.sessionID == nil ? nil : occurrence.ts, now, now, projectID,
                ])
            try countPeople(occurrence, issueID: id, db: db)
            try SQLiteAlertOutbox.enqueue(.opened, issueID: id, projectID: projectID, now: now, db: db)
            return .opened
        }
        let id: String = existing["id"]
        let regressed = (existing["status"] as String) == IssueStatus.resolved.rawValue
        try db.cachedStatement(sql: """
            UPDATE issues SET count = count + 1, first_seen = min(first_seen, ?), last_seen = max(last_seen, ?),
                regressed_at = CASE WHEN status = 'resolved' THEN ? ELSE regressed_at END,
                status = CASE WHEN status = 'resolved' THEN 'unresolved' ELSE status END,
                sample_session_id = coalesce(sample_session_id, ?), sample_event_id = coalesce(sample_event_id, ?),
                sample_ts = coalesce(sample_ts, ?), updated_at = ?
            WHERE id = ?
            """).execute(arguments: [
                occurrence.ts, occurrence.ts, now, occurrence.sessionID, occurrence.eventID,
                occurrence.sessionID == nil ? nil : occurrence.ts, now, id,
            ])
        try countPeople(occurrence, issueID: id, db: db)
        if regressed {
            try SQLiteAlertOutbox.enqueue(.regressed, issueID: id, projectID: projectID, now: now, db: db)
            return .regressed
        }
        return .recurred
    }

    /// Distinct users and sessions: each counts once, however often it hits the issue.
    private static func countPeople(_ occurrence: IssueOccurrence, issueID: String, db: Database) throws {
        if let user = occurrence.userID {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO issue_users (issue_id, user_id) VALUES (?, ?)").execute(arguments: [issueID, user])
            if db.changesCount > 0 {
                try db.cachedStatement(sql: "UPDATE issues SET user_count = user_count + 1 WHERE id = ?").execute(arguments: [issueID])
            }
        }
        if let session = occurrence.sessionID {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO issue_sessions (issue_id, session_id) VALUES (?, ?)").execute(arguments: [issueID, session])
            if db.changesCount > 0 {
                try db.cachedStatement(sql: "UPDATE issues SET session_count = session_count + 1 WHERE id = ?").execute(arguments: [issueID])
            }
        }
    }
}
