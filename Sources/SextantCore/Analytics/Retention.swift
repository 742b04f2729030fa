/// Retention (`GET /v1/query/retention`): identities are grouped into cohorts by the period of
/// their first `startEvent` in the range; a cohort's period 0 is its size, and period k counts
/// its identities that did `returnEvent` k periods after their cohort's period. Periods are UTC
/// days or ISO weeks (from Monday).
public struct RetentionQuery: Sendable, Equatable {
    public var projectSlug: String?
    public var startEvent: String
    public var returnEvent: String
    public var period: TrendInterval
    public var periods: Int
    public var from: Int64
    public var to: Int64

    public init(projectSlug: String?, startEvent: String, returnEvent: String, period: TrendInterval, periods: Int, from: Int64, to: Int64) {
        self.projectSlug = projectSlug
        self.startEvent = startEvent
        self.returnEvent = returnEvent
        self.period = period
        self.periods = periods
        self.from = from
        self.to = to
    }

    /// Returns are looked for up to `periods - 1` periods after the last cohort.
    public var scanEnd: Int64 { period.bucketStart(to) + Int64(periods) * period.milliseconds - 1 }
}

public struct RetentionCohort: Sendable, Equatable {
    public var start: Int64
    public var size: Int
    /// `returning[0]` is the size; `returning[k]` the identities back k periods later.
    public var returning: [Int]

    public init(start: Int64, size: Int, returning: [Int]) {
        self.start = start
        self.size = size
        self.returning = returning
    }
}

/// Counts retention one walker at a time, from the walker's `startEvent` and `returnEvent`
/// events (numbered `startID` and `returnID`, equal when both are the same event) in time order.
public struct RetentionCounter: WalkCounter {
    let query: RetentionQuery
    let startID: Int32
    let returnID: Int32
    private var cohorts: [RetentionCohort]
    private let firstCohort: Int64
    private var returned: [Bool]

    public init(_ query: RetentionQuery, startID: Int32, returnID: Int32) {
        self.query = query
        self.startID = startID
        self.returnID = returnID
        firstCohort = query.period.bucketStart(query.from)
        cohorts = query.period.bucketStarts(from: query.from, to: query.to).map {
            RetentionCohort(start: $0, size: 0, returning: Array(repeating: 0, count: query.periods))
        }
        returned = Array(repeating: false, count: query.periods)
    }

    public mutating func count(walker: Int, events: ArraySlice<WalkEvent>) {
        guard let first = events.firstIndex(where: { $0.name == startID && $0.ts >= query.from && $0.ts <= query.to }) else { return }
        let cohortIndex = Int((query.period.bucketStart(events[first].ts) - firstCohort) / query.period.milliseconds)
        let cohortStart = cohorts[cohortIndex].start
        // A start event also counts as a return when both are the same event.
        for event in events[first...] where event.name == returnID {
            let offset = Int((query.period.bucketStart(event.ts) - cohortStart) / query.period.milliseconds)
            if offset >= 1, offset < query.periods { returned[offset] = true }
        }
        cohorts[cohortIndex].size += 1
        cohorts[cohortIndex].returning[0] += 1
        for offset in 1..<max(1, query.periods) where returned[offset] {
            cohorts[cohortIndex].returning[offset] += 1
            returned[offset] = false
        }
    }

    public func finish() -> [RetentionCohort] { cohorts }
}
