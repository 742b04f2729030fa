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

/// Counts paths one walker at a time, from all of the walker's events in the range in time order.
public struct PathCounter: WalkCounter {
    let query: PathQuery
    let startID: Int32
    private var counts: [[Int32]: Int] = [:]
    private var starts = 0

    public init(_ query: PathQuery, startID: Int32) {
        self.query = query
        self.startID = startID
    }

    public mutating func count(walker: Int, events: ArraySlice<WalkEvent>) {
        guard let first = events.firstIndex(where: { $0.name == startID }) else { return }
        starts += 1
        counts[events[(first + 1)...].prefix(query.steps).map(\.name), default: 0] += 1
    }

    public func finish(vocabulary: WalkVocabulary) -> PathAnswer {
        let ranked = counts.map { PathCount(steps: $0.key.map { vocabulary.names[Int($0)] }, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.steps.lexicographicallyPrecedes($1.steps) }
        return PathAnswer(starts: starts, paths: Array(ranked.prefix(query.limit)))
    }
}
