import CoreMetrics
import Hummingbird

/// Request counts and latency per route, method and status, via an injected metrics factory.
struct HTTPMetrics: Sendable {
    let factory: any MetricsFactory

    func record(request: Request, route: String?, status: HTTPResponse.Status, elapsed: Duration) {
        let dimensions = [("route", route ?? "unmatched"), ("method", request.method.rawValue), ("status", String(status.code))]
        Counter(label: "sextant_http_requests_total", dimensions: dimensions, factory: factory).increment()
        CoreMetrics.Timer(label: "sextant_http_request_duration_seconds", dimensions: Array(dimensions.prefix(2)), factory: factory)
            .recordNanoseconds(elapsed.nanoseconds)
    }
}
