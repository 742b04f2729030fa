/// The event names a walk query is about, numbered: walks compare numbers, not strings.
public struct WalkVocabulary: Sendable {
    public private(set) var names: [String] = []
    private var numbers: [String: Int32] = [:]

    public init(_ names: [String] = []) {
        for name in names { _ = id(of: name) }
    }

    /// The number of `name`, numbering it when new.
    public mutating func id(of name: String) -> Int32 {
        if let number = numbers[name] { return number }
        names.append(name)
        numbers[name] = Int32(names.count - 1)
        return Int32(names.count - 1)
    }

    /// The number of `name`, nil when it is not in the vocabulary.
    public func existingID(of name: String) -> Int32? { numbers[name] }

    public func ids(_ names: [String]) -> [Int32] { names.map { numbers[$0]! } }

    /// A walk of (name, time) pairs as numbered events; names outside the vocabulary are left out.
    public func encode(_ walk: [(name: String, ts: Int64)]) -> ArraySlice<WalkEvent> {
        ArraySlice(walk.compactMap { event in numbers[event.name].map { WalkEvent(name: $0, ts: event.ts) } })
    }
}

/// One event of a walk: its name's number in the query's vocabulary, and its time.
public struct WalkEvent: Sendable, Equatable {
    public var name: Int32
    public var ts: Int64

    public init(name: Int32, ts: Int64) {
        self.name = name
        self.ts = ts
    }
}

/// What counts walks (funnels, retention, paths): it is given each walker's events in time order,
/// one walker at a time.
public protocol WalkCounter: Sendable {
    mutating func count(walker: Int, events: ArraySlice<WalkEvent>)
}
