import Synchronization

/// The events one ingest commit stored, with the largest event id before it.
public struct IndexedCommit: Sendable {
    public var previousEventID: Int64
    public var events: [IndexedEvent]

    public init(previousEventID: Int64, events: [IndexedEvent]) {
        self.previousEventID = previousEventID
        self.events = events
    }
}

/// Where the ingest commit hands its events to the index once they are committed, so the index
/// keeps up without reading them back and ingest never waits for a query. The index takes a
/// commit only when it continues exactly where the index stands (its previous id is the index's
/// last); anything else, or anything dropped when the inbox is full, the index reads from the
/// store instead.
public final class EventIndexInbox: Sendable {
    /// About 25 MiB of events; beyond it the index reads from the store what it missed.
    static let maximumEvents = 200_000

    private struct Pending {
        var commits: [IndexedCommit] = []
        var events = 0
    }

    private let pending = Mutex(Pending())

    public init() {}

    public func deliver(_ commit: IndexedCommit) {
        guard !commit.events.isEmpty else { return }
        pending.withLock { pending in
            guard pending.events + commit.events.count <= Self.maximumEvents else { return }
            pending.commits.append(commit)
            pending.events += commit.events.count
        }
    }

    /// Everything delivered since the last take, in id order.
    func take() -> [IndexedCommit] {
        pending.withLock { pending in
            defer { pending = Pending() }
            return pending.commits.sorted { $0.previousEventID < $1.previousEventID }
        }
    }
}
