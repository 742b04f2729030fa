import CoreMetrics
import Hummingbird
import Synchronization

/// Sextant's own metrics (API.md §9), from an injected factory so tests and the binary each get
/// their own registry. Handles are cached: building one per request goes through the registry's lock.
final class ServerMetrics: Sendable {
    private let factory: any MetricsFactory
    private let counters = Mutex<[String: Counter]>([:])
    private let timers = Mutex<[String: CoreMetrics.Timer]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func record(request: Request, route: String?, status: HTTPResponse.Status, elapsed: Duration) {
        let route = route ?? "unmatched"
        let method = request.method.rawValue
        counter("sextant_http_requests_total", [("route", route), ("method", method), ("status", String(status.code))]).increment()
        timer("sextant_http_request_duration_seconds", [("route", route), ("method", method)]).recordNanoseconds(elapsed.nanoseconds)
    }

    /// Accepted ingest: items (events, logs, chunks…) and body bytes per route and project.
    func ingested(route: String, project: String, items: Int, bytes: Int) {
        counter("sextant_ingest_items_total", [("route", route), ("project", project)]).increment(by: items)
        counter("sextant_ingest_bytes_total", [("route", route), ("project", project)]).increment(by: bytes)
    }

    /// Items accepted but not kept (Sentry's client reports, attachments, profiles…), by type;
    /// types outside `knownSkippedTypes` count as `other`, so a client cannot grow the label set.
    func skipped(route: String, types: [String: Int]) {
        for (type, count) in types {
            let label = Self.knownSkippedTypes.contains(type) ? type : "other"
            counter("sextant_ingest_skipped_items_total", [("route", route), ("type", label)]).increment(by: count)
        }
    }

    static let knownSkippedTypes: Set<String> = [
        "client_report", "attachment", "profile", "profile_chunk", "user_report", "feedback", "statsd", "metric_meta", "span", "otel_log",
    ]

    /// Refused ingest, by the reason its status gives.
    func rejected(route: String, status: HTTPResponse.Status) {
        let reason = switch status.code {
        case 400, 422: "invalid"
        case 401: "unauthorized"
        case 403: "origin"
        case 404: "unknown_target"
        case 409: "conflict"
        case 413: "too_large"
        case 429: "rate_limited"
        case 503: "overloaded"
        case 507: "disk_low"
        default: "error_\(status.code)"
        }
        counter("sextant_ingest_rejected_total", [("route", route), ("reason", reason)]).increment()
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = Self.key(label, dimensions)
        return counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            cache[key] = counter
            return counter
        }
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Timer {
        let key = Self.key(label, dimensions)
        return timers.withLock { cache in
            if let timer = cache[key] { return timer }
            let timer = CoreMetrics.Timer(label: label, dimensions: dimensions, factory: factory)
            cache[key] = timer
            return timer
        }
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        dimensions.reduce(label) { $0 + "\u{1F}" + $1.0 + "=" + $1.1 }
    }
}
