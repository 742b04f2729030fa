import Foundation
import PostgresNIO
import SextantCore

/// Groups occurrences into their issue inside the caller's transaction, so the ingest that
/// answers 2xx has also committed the issue's count, and queues the alerts the change raises.
enum PostgresIssueRecorder {
    @discardableResult
    static func record(_ occurrence: IssueOccurrence, projectID: Int64, now: Int64, tx: PostgresTransaction) async throws -> IssueTransition {
        try await record(OccurrenceGroup(occurrence), projectID: projectID, now: now, tx: tx)
    }

    @discardableResult
    static func record(_ group: OccurrenceGroup, projectID: Int64, now: Int64, tx: PostgresTransaction) async throws -> IssueTransition {
        let occurrence = group.first
        let sample = group.sample
        let kind = occurrence.kind.rawValue
        let count = Int64(group.count)
        try await tx.execute("""
            INSERT INTO occurrence_hours (project_id, kind, hour, count) VALUES (\(projectID), \(kind), \(now / 3_600_000), \(count))
            ON CONFLICT (project_id, kind, hour) DO UPDATE SET count = occurrence_hours.count + excluded.count
            """)
        for (day, dayCount) in group.days.sorted(by: { $0.key < $1.key }) {
            try await tx.execute("""
                INSERT INTO occurrence_days (project_id, kind, day, count) VALUES (\(projectID), \(kind), \(day), \(Int64(dayCount)))
                ON CONFLICT (project_id, kind, day) DO UPDATE SET count = occurrence_days.count + excluded.count
                """)
        }
        // One upsert opens, reopens or counts the issue; a second node's upsert of the same issue
        // waits for this one's row lock. The new id comes back only from an insert; the token
        // comes back only from the update that found the issue resolved.
        let newID = UUID().uuidString.lowercased()
        let regressionToken = UUID().uuidString.lowercased()
        let sampleEventID = (sample ?? occurrence).eventID
        guard let row = try await tx.rows("""
            INSERT INTO issues (id, organization_id, project_id, kind, fingerprint, title, description, culprit, level, status,
                priority, count, user_count, session_count, first_seen, last_seen, sample_session_id, sample_event_id, sample_ts,
                created_at, updated_at)
            SELECT \(newID), organization_id, id, \(kind), \(occurrence.fingerprint), \(occurrence.title), \(occurrence.description),
                \(occurrence.culprit), \(occurrence.level), 'unresolved', \(IssuePriority(level: occurrence.level).rawValue), \(count), 0, 0,
                \(group.firstTs), \(group.lastTs), \(sample?.sessionID), \(sampleEventID), \(sample?.ts), \(now), \(now)
            FROM projects WHERE id = \(projectID)
            ON CONFLICT (project_id, kind, fingerprint) DO UPDATE SET
                count = issues.count + excluded.count, first_seen = LEAST(issues.first_seen, excluded.first_seen),
                last_seen = GREATEST(issues.last_seen, excluded.last_seen),
                regression_token = CASE WHEN issues.status = 'resolved' THEN \(regressionToken) ELSE issues.regression_token END,
                regressed_at = CASE WHEN issues.status = 'resolved' THEN \(now) ELSE issues.regressed_at END,
                status = CASE WHEN issues.status = 'resolved' THEN 'unresolved' ELSE issues.status END,
                sample_event_id = CASE WHEN issues.sample_session_id IS NULL AND \(sample?.sessionID)::text IS NOT NULL
                    THEN \(sample?.eventID)::bigint ELSE coalesce(issues.sample_event_id, \(occurrence.eventID)::bigint) END,
                sample_ts = CASE WHEN issues.sample_session_id IS NULL THEN coalesce(\(sample?.ts)::bigint, issues.sample_ts) ELSE issues.sample_ts END,
                sample_session_id = coalesce(issues.sample_session_id, \(sample?.sessionID)::text), updated_at = \(now)
            RETURNING id, regression_token
            """).first
        else { return .recurred }  // no such project: nothing was written
        let (id, token) = try row.decode((String, String?).self)
        try await countPeople(group, issueID: id, tx: tx)
        try await PostgresIssueActivity.record(group, issueID: id, tx: tx)
        let transition: IssueTransition = id == newID ? .opened : token == regressionToken ? .regressed : .recurred
        if transition != .recurred {
            try await PostgresAlertOutbox.enqueue(transition, issueID: id, projectID: projectID, now: now, tx: tx)
        }
        return transition
    }

    /// Resolves the open issue with this fingerprint (a monitor's next success resolves its missed run).
    static func resolve(kind: IssueKind, fingerprint: String, projectID: Int64, now: Int64, tx: PostgresTransaction) async throws {
        try await tx.execute("""
            UPDATE issues SET status = 'resolved', updated_at = \(now)
            WHERE project_id = \(projectID) AND kind = \(kind.rawValue) AND fingerprint = \(fingerprint) AND status <> 'resolved'
            """)
    }

    /// Distinct users and sessions: each counts once, however often it hits the issue.
    private static func countPeople(_ group: OccurrenceGroup, issueID: String, tx: PostgresTransaction) async throws {
        let users = group.userIDs.sorted()
        let sessions = group.sessionIDs.sorted()
        let newUsers = users.isEmpty ? 0 : try await tx.count("""
            INSERT INTO issue_users (issue_id, user_id) SELECT \(issueID), user_id FROM unnest(\(users)::text[]) AS u (user_id)
            ON CONFLICT DO NOTHING RETURNING 1
            """)
        let newSessions = sessions.isEmpty ? 0 : try await tx.count("""
            INSERT INTO issue_sessions (issue_id, session_id) SELECT \(issueID), session_id FROM unnest(\(sessions)::text[]) AS s (session_id)
            ON CONFLICT DO NOTHING RETURNING 1
            """)
        guard newUsers + newSessions > 0 else { return }
        try await tx.execute("""
            UPDATE issues SET user_count = user_count + \(Int64(newUsers)), session_count = session_count + \(Int64(newSessions)) WHERE id = \(issueID)
            """)
    }
}
