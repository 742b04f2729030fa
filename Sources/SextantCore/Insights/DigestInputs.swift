/// What the digest analyzers look at for one project and interval, gathered by the store.
public struct DigestInputs: Sendable, Equatable {
    public var sessions: Int64 = 0
    /// Error occurrences (events and error logs) in the interval.
    public var errors: Int64 = 0
    /// Error occurrences per interval-length over the previous seven days, on average.
    public var errorBaseline: Double = 0
    public var newIssues: [Issue] = []
    public var regressedIssues: [Issue] = []
    /// Rage- and dead-click issues seen in the interval, most frequent first.
    public var clickHotspots: [Issue] = []
    public var failingMonitors: [MonitorDigest] = []
    public var endpoints: [EndpointComparison] = []

    public init() {}
}

public struct MonitorDigest: Sendable, Equatable {
    public var slug: String
    public var status: String

    public init(slug: String, status: String) {
        self.slug = slug
        self.status = status
    }
}

/// An endpoint's p95 in the interval against its previous seven days.
public struct EndpointComparison: Sendable, Equatable {
    public var method: String
    public var host: String
    public var route: String
    public var count: Int64
    public var p95: Double
    public var baselineCount: Int64
    public var baselineP95: Double

    public init(method: String, host: String, route: String, count: Int64, p95: Double, baselineCount: Int64, baselineP95: Double) {
        self.method = method
        self.host = host
        self.route = route
        self.count = count
        self.p95 = p95
        self.baselineCount = baselineCount
        self.baselineP95 = baselineP95
    }

    public var name: String { "\(method) \(host)\(route)" }
}
