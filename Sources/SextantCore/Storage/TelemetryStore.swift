/// Read side of what SDKs report about the running application: HTTP endpoints, database
/// queries, and releases with the health of their sessions.
public protocol TelemetryStore: Sendable {
    /// Endpoints grouped by method, host and folded path, slowest p95 first.
    func endpoints(_ filter: EndpointFilter) async throws -> [EndpointStats]
    /// Queries grouped by project and normalized query, most total time first.
    func queries(_ filter: QueryStatsFilter) async throws -> [QueryStats]
    /// Releases, newest first, each with its sessions by status.
    func releases(_ filter: ReleaseFilter) async throws -> [ReleaseHealth]
    /// Traces, most recently started first.
    func traces(_ filter: TraceFilter) async throws -> [TraceSummary]
    /// Every span of a trace, in start order (empty when there is no such trace).
    func spans(traceID: String, projectSlug: String?) async throws -> [StoredSpan]
    /// Metric names seen in the range, most recently reported first.
    func metricNames(_ filter: MetricFilter) async throws -> [MetricName]
    /// One metric's points in the range (`filter.name`), in time order, at most `filter.pointLimit`.
    func metricPoints(_ filter: MetricFilter) async throws -> [MetricPoint]
}

public enum Percentile {
    /// Nearest-rank percentile of sorted values (`p` in 0...1).
    public static func of(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
