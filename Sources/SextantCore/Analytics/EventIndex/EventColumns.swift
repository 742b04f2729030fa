/// What the index distinguishes events by: type and name, and for a pageview its URL path.
/// Each distinct kind of a project is stored once and events carry its number.
public struct EventKind: Hashable, Sendable {
    public var type: EventType
    public var name: String
    /// The pageview's path (`URLPath`), nil for other types.
    public var path: String?

    public init(type: EventType, name: String, url: String?) {
        self.type = type
        self.name = name
        path = type == .pageview ? URLPath.path(of: url ?? name) : nil
    }

    init(type: EventType, name: String, path: String?) {
        self.type = type
        self.name = name
        self.path = path
    }
}

/// One project's events in dictionary-encoded columns: walkers and kinds are numbered in order of
/// first appearance, and the events are kept in partitions of consecutive walkers, so settling
/// newly appended events rewrites one partition, not the project. Walker 0 holds the events that
/// have neither a user nor a session: counted by trends and aggregates, walked by nothing.
struct EventColumns: Sendable {
    static let walkersPerPartition = 4096

    private(set) var kinds: [EventKind] = []
    private var kindNumbers: [EventKind: UInt32] = [:]
    private(set) var walkers: [String] = [""]
    private var walkerNumbers: [String: Int] = [:]
    private(set) var partitions: [WalkerPartition] = []

    var eventCount: Int { partitions.reduce(0) { $0 + $1.eventCount } }

    init() {}

    init(kinds: [EventKind], walkers: [String], partitions: [WalkerPartition]) {
        self.kinds = kinds
        self.walkers = walkers
        self.partitions = partitions
        for (number, kind) in kinds.enumerated() { kindNumbers[kind] = UInt32(number) }
        for (number, walker) in walkers.enumerated() where number > 0 { walkerNumbers[walker] = number }
    }

    mutating func append(_ event: IndexedEvent) {
        let walker = walkerNumber(event.identity, creating: true)!
        let code = kindNumber(EventKind(type: event.type, name: event.name, url: event.url), creating: true)!
        let partition = walker / Self.walkersPerPartition
        while partitions.count <= partition { partitions.append(WalkerPartition()) }
        partitions[partition].append(walker: walker % Self.walkersPerPartition, code: code, ts: event.ts)
    }

    /// Takes out one event equal to `event`; events that agree in walker, kind and time cannot be
    /// told apart by any query, so which one goes does not matter.
    @discardableResult
    mutating func remove(_ event: IndexedEvent) -> Bool {
        guard let walker = walkerNumber(event.identity, creating: false),
              let code = kindNumber(EventKind(type: event.type, name: event.name, url: event.url), creating: false) else { return false }
        let partition = walker / Self.walkersPerPartition
        guard partition < partitions.count else { return false }
        return partitions[partition].remove(walker: walker % Self.walkersPerPartition, code: code, ts: event.ts)
    }

    mutating func settle() {
        for index in partitions.indices where !partitions[index].isSettled { partitions[index].settle() }
    }

    private mutating func walkerNumber(_ identity: String?, creating: Bool) -> Int? {
        guard let identity else { return 0 }
        if let number = walkerNumbers[identity] { return number }
        guard creating else { return nil }
        walkers.append(identity)
        walkerNumbers[identity] = walkers.count - 1
        return walkers.count - 1
    }

    private mutating func kindNumber(_ kind: EventKind, creating: Bool) -> UInt32? {
        if let number = kindNumbers[kind] { return number }
        guard creating else { return nil }
        kinds.append(kind)
        kindNumbers[kind] = UInt32(kinds.count - 1)
        return UInt32(kinds.count - 1)
    }

    /// Calls `body` with each walker's settled events in time order (call `settle()` first):
    /// the walker's number, and its codes and times. Walkers without events are skipped.
    func forEachWalker(includingAnonymous: Bool, _ body: (Int, UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<Int64>) -> Void) {
        var times: [Int64] = [], codes: [UInt32] = []
        for (partitionIndex, partition) in partitions.enumerated() {
            for local in 0..<partition.settledWalkerCount {
                let walker = partitionIndex * Self.walkersPerPartition + local
                if walker == 0 && !includingAnonymous { continue }
                let run = partition.run(of: local)
                guard !run.isEmpty else { continue }
                partition.decodeTimes(run, into: &times)
                partition.decodeCodes(run, into: &codes)
                codes.withUnsafeBufferPointer { codes in times.withUnsafeBufferPointer { body(walker, codes, $0) } }
            }
        }
    }
}
