/// The range of every kind of number Sextant accepts on the wire and in query parameters. A value
/// outside its range is refused with a 4xx naming the field, so arithmetic on stored values (a
/// duration from two timestamps, the next sequence number) can never overflow.
public enum WireRange {
    /// Unix milliseconds, 1970 through the year 9999.
    public static let timestampMs: ClosedRange<Int64> = 0...253_402_300_799_999
    /// Durations in milliseconds: up to 100 years.
    public static let durationMs: ClosedRange<Double> = 0...3_155_760_000_000
    /// Byte sizes and counts: integers a double holds exactly.
    public static let size: ClosedRange<Int64> = 0...9_007_199_254_740_991
    /// Replay chunk sequence numbers.
    public static let sequence: ClosedRange<Int64> = 0...1_000_000_000
    /// Funnel conversion windows, in seconds: up to ten years.
    public static let windowSeconds: ClosedRange<Int64> = 1...315_360_000

    public static func describe(_ range: ClosedRange<Int64>) -> String { "between \(range.lowerBound) and \(range.upperBound)" }
}

extension Double {
    /// This number rounded down, when it is finite and within `range`; nil otherwise. Never traps.
    public func int64(in range: ClosedRange<Int64>) -> Int64? {
        guard isFinite else { return nil }
        let whole = rounded(.down)
        guard whole >= Double(range.lowerBound), whole <= Double(range.upperBound) else { return nil }
        return Int64(whole)
    }
}

extension JSONValue {
    /// A number as Int (rounded down); nil for other types and for values Int cannot hold.
    public var intValue: Int? { numberValue.flatMap { $0.isFinite ? Int(exactly: $0.rounded(.down)) : nil } }
    /// A number as Int64 (rounded down); nil for other types and for values Int64 cannot hold.
    public var int64Value: Int64? { numberValue.flatMap { $0.isFinite ? Int64(exactly: $0.rounded(.down)) : nil } }
    /// A Unix-millisecond time within `WireRange.timestampMs`; nil otherwise.
    public var timestampMsValue: Int64? { numberValue?.int64(in: WireRange.timestampMs) }
}

extension Double {
    /// The number rounded to a whole, as text, whatever its size (stored data from before a range
    /// existed may hold anything): "1500", "3e+300", "inf". Never traps, unlike `Int(self)`.
    public var wholeText: String {
        guard isFinite else { return isNaN ? "nan" : (self < 0 ? "-inf" : "inf") }
        if let whole = Int64(exactly: rounded()) { return String(whole) }
        return String(rounded())
    }
}
