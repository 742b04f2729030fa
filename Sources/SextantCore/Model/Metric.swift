/// The metric kinds OTLP sends that Sextant keeps.
public enum MetricKind: String, Sendable, CaseIterable {
    case gauge, sum, histogram
}

/// One data point of one metric: a gauge or sum's value, or a histogram's count, sum, min and max.
public struct MetricPoint: Sendable, Equatable {
    public var name: String
    public var kind: MetricKind
    public var unit: String?
    public var ts: Int64
    /// A gauge's or sum's value; a histogram's sum.
    public var value: Double
    /// A histogram's count of observations.
    public var count: Int64?
    public var min: Double?
    public var max: Double?
    /// A cumulative point restates the total since the series started; a delta point adds to it.
    public var isCumulative: Bool
    public var service: String?
    /// The point's attributes as JSON text with sorted keys: with the service, the series it belongs to.
    public var attributesJSON: String?

    public init(name: String, kind: MetricKind, ts: Int64, value: Double, isCumulative: Bool) {
        self.name = name
        self.kind = kind
        self.ts = ts
        self.value = value
        self.isCumulative = isCumulative
    }

    var seriesKey: String { "\(service ?? "")\u{1F}\(attributesJSON ?? "")" }
}

public struct MetricBatch: Sendable {
    public var projectID: Int64
    public var receivedAt: Int64
    public var points: [MetricPoint]

    public init(projectID: Int64, receivedAt: Int64, points: [MetricPoint]) {
        self.projectID = projectID
        self.receivedAt = receivedAt
        self.points = points
    }
}

/// A metric name as the metrics list shows it.
public struct MetricName: Sendable, Equatable {
    public var name: String
    public var kind: MetricKind
    public var unit: String?
    public var points: Int
    public var lastSeen: Int64

    public init(name: String, kind: MetricKind, unit: String?, points: Int, lastSeen: Int64) {
        self.name = name
        self.kind = kind
        self.unit = unit
        self.points = points
        self.lastSeen = lastSeen
    }
}

public struct MetricFilter: Sendable, Equatable {
    public var time = TimeFilter()
    public var name: String?
    /// At most this many points are read for one series query.
    public var pointLimit = 200_000

    public init() {}
}
