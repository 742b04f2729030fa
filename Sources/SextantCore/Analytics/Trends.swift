/// Trends (`GET /v1/query/trends`): each event's count or distinct users per bucket, every
/// bucket of the range present, optionally broken down by a column or a property into the top
/// ten values and "other".
public enum TrendInterval: String, Sendable, CaseIterable {
    case hour, day, week

    public var milliseconds: Int64 {
        switch self {
        case .hour: 3_600_000
        case .day: 86_400_000
        case .week: 604_800_000
        }
    }

    /// The start of the UTC hour, day or ISO week (from Monday) holding `ts`.
    public func bucketStart(_ ts: Int64) -> Int64 {
        switch self {
        case .hour, .day: return ts - ts % milliseconds
        case .week:
            let day = ts / 86_400_000
            return (day - (day + 3) % 7) * 86_400_000
        }
    }

    /// Every bucket start from the one holding `from` to the one holding `to`.
    public func bucketStarts(from: Int64, to: Int64) -> [Int64] {
        Array(stride(from: bucketStart(from), through: bucketStart(to), by: Int(milliseconds)))
    }

    public func bucketCount(from: Int64, to: Int64) -> Int64 { (bucketStart(to) - bucketStart(from)) / milliseconds + 1 }
}

public enum TrendMeasure: String, Sendable, CaseIterable {
    /// Events.
    case count
    /// Distinct identities (the user, else the session), as DAU counts them.
    case users
}

public enum TrendBreakdown: Sendable, Equatable {
    case type, url, name
    case property(String)

    /// `type`, `url`, `name` or `props.KEY`.
    public init?(_ text: String) {
        switch text {
        case "type": self = .type
        case "url": self = .url
        case "name": self = .name
        case let text where text.hasPrefix("props.") && text.count > 6: self = .property(String(text.dropFirst(6)))
        default: return nil
        }
    }
}

public struct TrendQuery: Sendable, Equatable {
    public var projectSlug: String?
    public var events: [String]
    public var from: Int64
    public var to: Int64
    public var interval: TrendInterval
    public var measure: TrendMeasure
    public var breakdown: TrendBreakdown?

    public init(projectSlug: String?, events: [String], from: Int64, to: Int64, interval: TrendInterval, measure: TrendMeasure,
                breakdown: TrendBreakdown?) {
        self.projectSlug = projectSlug
        self.events = events
        self.from = from
        self.to = to
        self.interval = interval
        self.measure = measure
        self.breakdown = breakdown
    }

    /// How many breakdown values get a series of their own; the rest are "other".
    public static let topValues = 10
    /// The value of a breakdown when the event has none.
    public static let noValue = "(none)"
}

public struct TrendSeries: Sendable, Equatable {
    public var event: String
    /// The breakdown value, nil without a breakdown.
    public var breakdownValue: String?
    /// The series of every value outside the top ten.
    public var isOther: Bool
    /// One value per bucket start of the answer.
    public var values: [Int]

    public init(event: String, breakdownValue: String? = nil, isOther: Bool = false, values: [Int]) {
        self.event = event
        self.breakdownValue = breakdownValue
        self.isOther = isOther
        self.values = values
    }

    public var total: Int { values.reduce(0, +) }
}

public struct Trends: Sendable, Equatable {
    public var bucketStarts: [Int64]
    public var series: [TrendSeries]

    /// One measured row: an event's value in a bucket, for one breakdown value (or "other").
    public struct Row: Sendable, Equatable {
        public var event: String
        public var bucketStart: Int64
        public var breakdownValue: String?
        public var isOther: Bool
        public var value: Int

        public init(event: String, bucketStart: Int64, breakdownValue: String? = nil, isOther: Bool = false, value: Int) {
            self.event = event
            self.bucketStart = bucketStart
            self.breakdownValue = breakdownValue
            self.isOther = isOther
            self.value = value
        }
    }

    /// The answer from a store's rows: every requested event has a series (zeros when it never
    /// happened); with a breakdown, `ranked` gives each event's values in order, "other" last.
    public static func assemble(_ query: TrendQuery, rows: [Row], ranked: [String: [String]] = [:]) -> Trends {
        let starts = query.interval.bucketStarts(from: query.from, to: query.to)
        let index = Dictionary(uniqueKeysWithValues: starts.enumerated().map { ($1, $0) })
        var values: [String: [String?: [Int]]] = [:]
        var others: [String: [Int]] = [:]
        for row in rows {
            guard let slot = index[row.bucketStart] else { continue }
            if row.isOther {
                others[row.event, default: Array(repeating: 0, count: starts.count)][slot] += row.value
            } else {
                values[row.event, default: [:]][row.breakdownValue, default: Array(repeating: 0, count: starts.count)][slot] += row.value
            }
        }
        var series: [TrendSeries] = []
        for event in query.events {
            guard query.breakdown != nil else {
                series.append(TrendSeries(event: event, values: values[event]?[nil] ?? Array(repeating: 0, count: starts.count)))
                continue
            }
            for value in ranked[event] ?? [] {
                series.append(TrendSeries(event: event, breakdownValue: value,
                                          values: values[event]?[value] ?? Array(repeating: 0, count: starts.count)))
            }
            if let other = others[event] { series.append(TrendSeries(event: event, breakdownValue: "other", isOther: true, values: other)) }
        }
        return Trends(bucketStarts: starts, series: series)
    }
}
