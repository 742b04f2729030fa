/// Sequential funnels: how many walkers reached each step in order.
public enum Funnel {
    /// `events` must be grouped by walker and time-ordered within each walker.
    /// With a `windowMs`, a walk must reach its steps within that time of its first step; every
    /// occurrence of the first step is tried as a start and the deepest walk counts.
    public static func counts(steps: [String], events: [FunnelEvent], windowMs: Int64? = nil) -> [Int] {
        var counts = Array(repeating: 0, count: steps.count)
        var start = events.startIndex
        while start < events.endIndex {
            var end = start
            while end < events.endIndex, events[end].walker == events[start].walker { end += 1 }
            let reached = deepestWalk(steps: steps, events: events[start..<end], windowMs: windowMs)
            for step in 0..<reached { counts[step] += 1 }
            start = end
        }
        return counts
    }

    static func deepestWalk(steps: [String], events: ArraySlice<FunnelEvent>, windowMs: Int64?) -> Int {
        guard let windowMs else { return greedyWalk(steps: steps, events: events, deadline: nil) }
        var deepest = 0
        for index in events.indices where events[index].name == steps[0] {
            let reached = greedyWalk(steps: steps, events: events[index...], deadline: events[index].ts + windowMs)
            deepest = max(deepest, reached)
            if deepest == steps.count { break }
        }
        return deepest
    }

    /// Greedy in-order walk: each step is matched by the first later event with its name.
    static func greedyWalk(steps: [String], events: ArraySlice<FunnelEvent>, deadline: Int64?) -> Int {
        var reached = 0
        for event in events {
            if let deadline, event.ts > deadline { break }
            if event.name == steps[reached] {
                reached += 1
                if reached == steps.count { break }
            }
        }
        return reached
    }
}
