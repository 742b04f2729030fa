import GRDB

/// Gathers one ingest commit's errors by issue, then writes each issue once at the end of the
/// transaction: a batch of a thousand identical errors is one upsert, not a thousand.
struct SQLiteIssueTally {
    private struct Key: Hashable {
        var projectID: Int64
        var kind: IssueKind
        var fingerprint: String
    }

    private var groups: [Key: OccurrenceGroup] = [:]
    /// First-seen order, so issues created in one commit keep the order of their occurrences.
    private var order: [Key] = []

    mutating func add(_ occurrence: IssueOccurrence, projectID: Int64) {
        let key = Key(projectID: projectID, kind: occurrence.kind, fingerprint: occurrence.fingerprint)
        if groups[key]?.add(occurrence) == nil {
            groups[key] = OccurrenceGroup(occurrence)
            order.append(key)
        }
    }

    func apply(_ db: Database, now: Int64) throws {
        for key in order {
            try SQLiteIssueRecorder.record(groups[key]!, projectID: key.projectID, now: now, db: db)
        }
    }
}
