/// What Sextant records about an rrweb chunk: its size in events, time span and full snapshots.
public struct ReplayChunkSummary: Sendable, Equatable {
    public var eventCount: Int
    public var firstTimestamp: Int64?
    public var lastTimestamp: Int64?
    public var fullSnapshotOffsets: [Int]

    public init(eventCount: Int, firstTimestamp: Int64?, lastTimestamp: Int64?, fullSnapshotOffsets: [Int]) {
        self.eventCount = eventCount
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.fullSnapshotOffsets = fullSnapshotOffsets
    }
}

public enum ReplayChunkError: Error, Equatable, CustomStringConvertible {
    case notAnArray
    case invalidEvent(index: Int, reason: String)

    public var description: String {
        switch self {
        case .notAnArray: "replay chunk must be a JSON array of rrweb events"
        case .invalidEvent(let index, let reason): "replay event \(index): \(reason)"
        }
    }
}

public enum ReplayChunkInspector {
    /// rrweb's EventType.FullSnapshot.
    static let fullSnapshotType = 2.0

    /// Checks that `json` is an array of rrweb events (objects with an integer `type` and a numeric
    /// `timestamp`) and summarises it.
    public static func inspect(_ json: some Collection<UInt8>) throws -> ReplayChunkSummary {
        var summary = ReplayChunkSummary(eventCount: 0, firstTimestamp: nil, lastTimestamp: nil, fullSnapshotOffsets: [])
        do {
            try JSONScanner.withScanner(over: json) { scanner in
                guard scanner.peek() == UInt8(ascii: "[") else { throw ReplayChunkError.notAnArray }
                try scanner.readArray { scanner, index in
                    guard scanner.peek() == UInt8(ascii: "{") else {
                        throw ReplayChunkError.invalidEvent(index: index, reason: "not an object")
                    }
                    var type: Double?
                    var hasTimestamp = false
                    try scanner.readObject { scanner, member in
                        switch member {
                        case "type" where scanner.peek() != UInt8(ascii: "\""):
                            type = try scanner.readNumber()
                        case "timestamp" where scanner.peek() != UInt8(ascii: "\"") && scanner.peek() != UInt8(ascii: "n"):
                            guard let ts = try scanner.readNumber().int64(in: WireRange.timestampMs) else {
                                throw ReplayChunkError.invalidEvent(
                                    index: index, reason: "timestamp must be Unix ms \(WireRange.describe(WireRange.timestampMs))")
                            }
                            hasTimestamp = true
                            summary.firstTimestamp = summary.firstTimestamp.map { min($0, ts) } ?? ts
                            summary.lastTimestamp = summary.lastTimestamp.map { max($0, ts) } ?? ts
                        default:
                            try scanner.skipValue()
                        }
                    }
                    guard let type, type == type.rounded() else {
                        throw ReplayChunkError.invalidEvent(index: index, reason: "type must be an integer")
                    }
                    guard hasTimestamp else { throw ReplayChunkError.invalidEvent(index: index, reason: "timestamp must be a number") }
                    if type == fullSnapshotType { summary.fullSnapshotOffsets.append(index) }
                    summary.eventCount += 1
                }
                try scanner.expectEnd()
            }
        } catch is JSONSyntaxError {
            throw ReplayChunkError.notAnArray
        }
        return summary
    }
}
