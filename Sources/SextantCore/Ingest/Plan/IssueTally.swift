/// One commit's errors gathered by issue, so each issue is written once at the end of the
/// transaction: a batch of a thousand identical errors is one upsert, not a thousand.
package struct IssueTally {
    package struct Key: Hashable, Comparable {
        package var projectID: Int64
        package var kind: IssueKind
        package var fingerprint: String

        package static func < (a: Self, b: Self) -> Bool {
            (a.projectID, a.kind.rawValue, a.fingerprint) < (b.projectID, b.kind.rawValue, b.fingerprint)
        }
    }

    package private(set) var groups: [Key: OccurrenceGroup] = [:]

    package mutating func add(_ occurrence: IssueOccurrence, projectID: Int64) {
        let key = Key(projectID: projectID, kind: occurrence.kind, fingerprint: occurrence.fingerprint)
        if groups[key]?.add(occurrence) == nil { groups[key] = OccurrenceGroup(occurrence) }
    }

    /// In key order: every backend upserts issues so.
    package var sortedGroups: [(key: Key, value: OccurrenceGroup)] { groups.sorted { $0.key < $1.key } }
}
