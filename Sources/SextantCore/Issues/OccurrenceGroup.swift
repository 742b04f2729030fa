/// Occurrences of one issue gathered before they are written: one upsert per issue per commit,
/// however many of its occurrences the commit holds.
public struct OccurrenceGroup: Sendable, Equatable {
    /// The first occurrence: it names a new issue and provides its sample.
    public var first: IssueOccurrence
    public var count: Int64 = 1
    public var firstTs: Int64
    public var lastTs: Int64
    public var userIDs: [String] = []
    public var sessionIDs: [String] = []
    /// The first occurrence that belongs to a session, the best sample for a replay link.
    public var sample: IssueOccurrence?
    /// Occurrences per UTC day of their time, for the aggregates' errors of every source.
    public var days: [Int64: Int64] = [:]
    /// Occurrences per tag, for the issue page's breakdowns.
    public var tagCounts: [IssueTag: Int64] = [:]
    /// The latest occurrences, newest last, at most `IssueActivity.keptOccurrences`.
    public var latest: [IssueOccurrence] = []

    public init(_ occurrence: IssueOccurrence) {
        first = occurrence
        firstTs = occurrence.ts
        lastTs = occurrence.ts
        add(people: occurrence)
        sample = occurrence.sessionID == nil ? nil : occurrence
        days[occurrence.ts / UTCDay.millisecondsPerDay] = 1
        keep(occurrence)
    }

    public mutating func add(_ occurrence: IssueOccurrence) {
        count += 1
        firstTs = min(firstTs, occurrence.ts)
        lastTs = max(lastTs, occurrence.ts)
        add(people: occurrence)
        if sample == nil, occurrence.sessionID != nil { sample = occurrence }
        days[occurrence.ts / UTCDay.millisecondsPerDay, default: 0] += 1
        keep(occurrence)
    }

    private mutating func keep(_ occurrence: IssueOccurrence) {
        for tag in occurrence.tags { tagCounts[tag, default: 0] += 1 }
        // Batches arrive roughly in time order; an occasional late one is placed by its time.
        let position = latest.lastIndex { $0.ts <= occurrence.ts }.map { $0 + 1 } ?? 0
        latest.insert(occurrence, at: position)
        if latest.count > IssueActivity.keptOccurrences { latest.removeFirst(latest.count - IssueActivity.keptOccurrences) }
    }

    private mutating func add(people occurrence: IssueOccurrence) {
        if let user = occurrence.userID, !userIDs.contains(user) { userIDs.append(user) }
        if let session = occurrence.sessionID, !sessionIDs.contains(session) { sessionIDs.append(session) }
    }
}
