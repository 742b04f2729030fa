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

/// Counts retention from events streamed grouped by walker and time-ordered within each, holding
/// one walker's events at a time.
public struct RetentionCounter: WalkCounter {
    let query: RetentionQuery
    private var cohorts: [RetentionCohort]
    private let firstCohort: Int64
    private var walker: String?
    private var cohortIndex: Int?
    private var returned: Set<Int> = []

    public init(_ query: RetentionQuery) {
        self.query = query
        firstCohort = query.period.bucketStart(query.from)
        cohorts = query.period.bucketStarts(from: query.from, to: query.to).map {
            RetentionCohort(start: $0, size: 0, returning: Array(repeating: 0, count: query.periods))
        }
    }

    public mutating func add(_ event: FunnelEvent) {
        if event.walker != walker {
            countCurrentWalker()
            walker = event.walker
        }
        if cohortIndex == nil {
            if event.name == query.startEvent, event.ts >= query.from, event.ts <= query.to {
                cohortIndex = Int((query.period.bucketStart(event.ts) - firstCohort) / query.period.milliseconds)
            }
            // A start event also counts as a return when both are the same event.
            if cohortIndex == nil || query.startEvent != query.returnEvent { return }
        }
        guard let cohortIndex, event.name == query.returnEvent else { return }
        let offset = Int((query.period.bucketStart(event.ts) - cohorts[cohortIndex].start) / query.period.milliseconds)
        if offset >= 1, offset < query.periods { returned.insert(offset) }
    }

    public mutating func finish() -> [RetentionCohort] {
        countCurrentWalker()
        return cohorts
    }

    private mutating func countCurrentWalker() {
        defer {
            cohortIndex = nil
            returned.removeAll(keepingCapacity: true)
        }
        guard let cohortIndex else { return }
        cohorts[cohortIndex].size += 1
        cohorts[cohortIndex].returning[0] += 1
        for offset in returned { cohorts[cohortIndex].returning[offset] += 1 }
    }
}
