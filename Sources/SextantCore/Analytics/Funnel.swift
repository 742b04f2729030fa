/// Sequential funnels: how many walkers reached each step in order, how long each step took
/// them, and who stopped after a given step.
public enum Funnel {
    /// How many walkers reached each step in order; each walk is one walker's (name, time)
    /// events in time order. With a `windowMs`, a walk must reach its steps within that time of
    /// its first step; every occurrence of the first step is tried as a start and the deepest walk counts.
    public static func counts(steps: [String], walks: [[(name: String, ts: Int64)]], windowMs: Int64? = nil) -> [Int] {
        let vocabulary = WalkVocabulary(steps)
        var counter = FunnelCounter(steps: vocabulary.ids(steps), windowMs: windowMs)
        for (walker, walk) in walks.enumerated() { counter.count(walker: walker, events: vocabulary.encode(walk)) }
        return counter.report().counts
    }

    /// The deepest walk: the times at which it reached each of its steps (the earliest such walk).
    static func deepestWalk(steps: [Int32], events: ArraySlice<WalkEvent>, windowMs: Int64?) -> [Int64] {
        guard let windowMs else { return greedyWalk(steps: steps, events: events, deadline: nil) }
        var deepest: [Int64] = []
        for index in events.indices where events[index].name == steps[0] {
            let reached = greedyWalk(steps: steps, events: events[index...], deadline: events[index].ts + windowMs)
            if reached.count > deepest.count { deepest = reached }
            if deepest.count == steps.count { break }
        }
        return deepest
    }

    /// Greedy in-order walk: each step is matched by the first later event with its name.
    static func greedyWalk(steps: [Int32], events: ArraySlice<WalkEvent>, deadline: Int64?) -> [Int64] {
        var reachedAt: [Int64] = []
        for event in events {
            if let deadline, event.ts > deadline { break }
            if event.name == steps[reachedAt.count] {
                reachedAt.append(event.ts)
                if reachedAt.count == steps.count { break }
            }
        }
        return reachedAt
    }

    /// The median of `values` (the mean of the middle two for an even count); nil when empty.
    public static func median(_ values: [Int64]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
    }
}

/// Who reached step `step` (1-based) but not the next: a page of them, in walker order.
public struct FunnelDropoffQuery: Sendable, Equatable {
    public var step: Int
    public var offset: Int
    public var limit: Int

    public init(step: Int, offset: Int, limit: Int) {
        self.step = step
        self.offset = offset
        self.limit = limit
    }
}

public struct FunnelReport: Sendable, Equatable {
    public var counts: [Int]
    /// Per step, the median milliseconds from the previous step; nil for the first step and for
    /// steps nobody reached.
    public var medianMsToConvert: [Double?]
    /// The identities of the drop-off page and how many dropped off in all.
    public var dropoffIdentities: [String]
    public var dropoffTotal: Int
}

/// A funnel counted one walker at a time. Step durations cost one integer per walker and step;
/// the drop-off list one integer per walker who dropped off, named and paged at the end.
public struct FunnelCounter: WalkCounter {
    let steps: [Int32]
    let windowMs: Int64?
    let dropoff: FunnelDropoffQuery?
    private var counts: [Int]
    private var durations: [[Int64]]
    private var droppedOff: [Int] = []

    public init(steps: [Int32], windowMs: Int64?, dropoff: FunnelDropoffQuery? = nil) {
        self.steps = steps
        self.windowMs = windowMs
        self.dropoff = dropoff
        counts = Array(repeating: 0, count: steps.count)
        durations = Array(repeating: [], count: steps.count)
    }

    public mutating func count(walker: Int, events: ArraySlice<WalkEvent>) {
        let reachedAt = Funnel.deepestWalk(steps: steps, events: events, windowMs: windowMs)
        for step in reachedAt.indices {
            counts[step] += 1
            if step > 0 { durations[step].append(reachedAt[step] - reachedAt[step - 1]) }
        }
        if let dropoff, reachedAt.count == dropoff.step { droppedOff.append(walker) }
    }

    /// The report; `sortKey` gives the order walkers who dropped off are paged in, and `identity` their names.
    public func report(sortKey: (Int) -> String = { String($0) }, identity: (Int) -> String = { String($0) }) -> FunnelReport {
        var page: [String] = []
        if let dropoff, dropoff.offset < droppedOff.count, dropoff.limit > 0 {
            let ordered = droppedOff.map { (sortKey($0), $0) }.sorted { $0.0 < $1.0 }
            page = ordered[dropoff.offset..<min(ordered.count, dropoff.offset + dropoff.limit)].map { identity($0.1) }
        }
        return FunnelReport(counts: counts, medianMsToConvert: durations.enumerated().map { $0.offset == 0 ? nil : Funnel.median($0.element) },
                            dropoffIdentities: page, dropoffTotal: droppedOff.count)
    }
}
