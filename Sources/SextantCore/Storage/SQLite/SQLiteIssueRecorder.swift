import Foundation
import GRDB

/// Groups occurrences into their issue inside the caller's transaction, so the ingest that
/// answers 2xx has also committed the issue's count, and queues the alerts the change raises.
enum SQLiteIssueRecorder {
    @discardableResult
    static func record(_ occurrence: IssueOccurrence, projectID: Int64, now: Int64, db: Database) throws -> IssueTransition {
        try record(OccurrenceGroup(occurrence), projectID: projectID, now: now, db: db)
    }

    @discardableResult
    static func record(_ group: OccurrenceGroup, projectID: Int64, now: Int64, db: Database) throws -> IssueTransition {
        let occurrence = group.first
        let sample = group.sample
        try db.cachedStatement(sql: """
            INSERT INTO occurrence_hours (project_id, kind, hour, count) VALUES (?, ?, ?, ?)
            ON CONFLICT (project_id, kind, hour) DO UPDATE SET count = count + excluded.count
            """).execute(arguments: [projectID, occurrence.kind.rawValue, now / 3_600_000, group.count])
        for (day, count) in group.days.sorted(by: { $0.key < $1.key }) {
            try db.cachedStatement(sql: """
                INSERT INTO occurrence_days (project_id, kind, day, count) VALUES (?, ?, ?, ?)
                ON CONFLICT (project_id, kind, day) DO UPDATE SET count = count + excluded.count
                """).execute(arguments: [projectID, occurrence.kind.rawValue, day, count])
        }
        // One upsert opens, reopens or counts the issue, so concurrent writers cannot both open
        // it or both see it regress. The new id comes back only from an insert; the token comes
        // back only from the update that found the issue resolved.
        let newID = UUID().uuidString.lowercased()
        let regressionToken = UUID().uuidString.lowercased()
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            INSERT INTO issues (id, organization_id, project_id, kind, fingerprint, title, description, culprit, level, status,
                priority, count, user_count, session_count, first_seen, last_seen, sample_session_id, sample_event_id, sample_ts,
                created_at, updated_at)
            SELECT ?1, organization_id, id, ?2, ?3, ?4, ?5, ?6, ?7, 'unresolved', ?8, ?9, 0, 0, ?10, ?11, ?12, ?13, ?14, ?15, ?15
            FROM projects WHERE id = ?16
            ON CONFLICT (project_id, kind, fingerprint) DO UPDATE SET
                count = count + excluded.count, first_seen = min(first_seen, excluded.first_seen),
                last_seen = max(last_seen, excluded.last_seen),
                regression_token = CASE WHEN status = 'resolved' THEN ?17 ELSE regression_token END,
                regressed_at = CASE WHEN status = 'resolved' THEN ?15 ELSE regressed_at END,
                status = CASE WHEN status = 'resolved' THEN 'unresolved' ELSE status END,
                sample_event_id = CASE WHEN sample_session_id IS NULL AND ?12 IS NOT NULL THEN ?18 ELSE coalesce(sample_event_id, ?19) END,
                sample_ts = CASE WHEN sample_session_id IS NULL THEN coalesce(?14, sample_ts) ELSE sample_ts END,
                sample_session_id = coalesce(sample_session_id, ?12), updated_at = ?15
            RETURNING id, regression_token
            """), arguments: [
                newID, occurrence.kind.rawValue, occurrence.fingerprint, occurrence.title, occurrence.description, occurrence.culprit,
                occurrence.level, IssuePriority(level: occurrence.level).rawValue, group.count, group.firstTs, group.lastTs,
                sample?.sessionID, (sample ?? occurrence).eventID, sample?.ts, now, projectID, regressionToken, sample?.eventID,
                occurrence.eventID,
            ])
        else { return .recurred }  // no such project: nothing was written
        let id: String = row["id"]
        try countPeople(group, issueID: id, db: db)
        try SQLiteIssueActivity.record(group, issueID: id, db: db)
        let transition: IssueTransition =
            id == newID ? .opened : (row["regression_token"] as String?) == regressionToken ? .regressed : .recurred
        if transition != .recurred {
            try SQLiteAlertOutbox.enqueue(transition, issueID: id, projectID: projectID, now: now, db: db)
        }
        return transition
    }

    /// Resolves the open issue with this fingerprint (a monitor's next success resolves its missed run).
    static func resolve(kind: IssueKind, fingerprint: String, projectID: Int64, now: Int64, db: Database) throws {
        try db.execute(sql: """
            UPDATE issues SET status = 'resolved', updated_at = ?
            WHERE project_id = ? AND kind = ? AND fingerprint = ? AND status != 'resolved'
            """, arguments: [now, projectID, kind.rawValue, fingerprint])
    }

    /// Distinct users and sessions: each counts once, however often it hits the issue.
    private static func countPeople(_ group: OccurrenceGroup, issueID: String, db: Database) throws {
        var newUsers = 0
        for user in group.userIDs {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO issue_users (issue_id, user_id) VALUES (?, ?)").execute(arguments: [issueID, user])
            newUsers += db.changesCount
        }
        var newSessions = 0
        for session in group.sessionIDs {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO issue_sessions (issue_id, session_id) VALUES (?, ?)").execute(arguments: [issueID, session])
            newSessions += db.changesCount
        }
        guard newUsers + newSessions > 0 else { return }
        try db.cachedStatement(sql: "UPDATE issues SET user_count = user_count + ?, session_count = session_count + ? WHERE id = ?")
            .execute(arguments: [newUsers, newSessions, issueID])
    }
}
