/// Read side of HTTP telemetry: latency and errors per endpoint.
public protocol TelemetryStore: Sendable {
    /// Endpoints grouped by method, host and folded path, slowest p95 first.
    func endpoints(_ filter: EndpointFilter) async throws -> [EndpointStats]
}

public enum Percentile {
    /// Nearest-rank percentile of sorted values (`p` in 0...1).
    public static func of(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
