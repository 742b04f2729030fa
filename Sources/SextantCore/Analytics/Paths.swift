/// Paths (`GET /v1/query/paths`): what identities did next after a start event. From each
/// identity's first `start` in the range, its next `steps` events in time order make its path;
/// identical paths are counted together, most common first.
public struct PathQuery: Sendable, Equatable {
    public var projectSlug: String?
    public var start: String
    public var steps: Int
    public var from: Int64?
    public var to: Int64?
    public var limit: Int

    public init(projectSlug: String?, start: String, steps: Int, from: Int64?, to: Int64?, limit: Int) {
        self.projectSlug = projectSlug
        self.start = start
        self.steps = steps
        self.from = from
        self.to = to
        self.limit = limit
    }
}

public struct PathCount: Sendable, Equatable {
    public var steps: [String]
    public var count: Int

    public init(steps: [String], count: Int) {
        self.steps = steps
        self.count = count
    }
}

public struct PathAnswer: Sendable, Equatable {
    /// Identities that did the start event.
    public var starts: Int
    public var paths: [PathCount]
}

/// Counts paths from events streamed grouped by walker and time-ordered within each.
public struct PathCounter: WalkCounter {
    let query: PathQuery
    private var walker: String?
    private var path: [String]?
    private var counts: [[String]: Int] = [:]
    private var starts = 0

    public init(_ query: PathQuery) {
        self.query = query
    }

    public mutating func add(_ event: FunnelEvent) {
        if event.walker != walker {
            countCurrentWalker()
            walker = event.walker
        }
        if var steps = path {
            if steps.count < query.steps {
                steps.append(event.name)
                path = steps
            }
        } else if event.name == query.start {
            path = []
        }
    }

    public mutating func finish() -> PathAnswer {
        countCurrentWalker()
        let ranked = counts.map { PathCount(steps: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.steps.lexicographicallyPrecedes($1.steps) }
        return PathAnswer(starts: starts, paths: Array(ranked.prefix(query.limit)))
    }

    private mutating func countCurrentWalker() {
        defer { path = nil }
        guard let path else { return }
        starts += 1
        counts[path, default: 0] += 1
    }
}
