import Hummingbird
import SextantCore

/// Reads for operations: cron monitors (API.md §8) and HTTP endpoint telemetry (issue: HTTP telemetry).
struct OperationsReadController {
    let monitors: any MonitorStore
    let telemetry: any TelemetryStore
    let clock: WallClock

    func register(in reads: RouterGroup<AppRequestContext>) {
        reads.get("/monitors", use: listMonitors)
        reads.get("/query/requests", use: endpoints)
    }

    @Sendable func listMonitors(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = clock.nowMilliseconds()
        let found = try await monitors.monitors(projectSlug: QueryParameters(request).string("app"))
        return .jsonObject { writer in
            writer.key("monitors")
            writer.beginArray()
            for monitor in found {
                // Evaluated now, so a status is never older than the request.
                let evaluation = monitor.evaluated(at: now)
                writer.beginObject()
                writer.key("id"); writer.string(monitor.id)
                writer.key("app"); writer.string(monitor.projectSlug)
                writer.key("slug"); writer.string(monitor.slug)
                writer.key("schedule"); writer.string(monitor.schedule)
                writer.key("grace_seconds"); writer.integer(monitor.graceSeconds)
                writer.key("status"); writer.string(evaluation.status.rawValue)
                writer.key("last_ping_at"); writer.integer(monitor.lastPingAt)
                writer.key("last_status"); writer.string(monitor.lastStatus?.rawValue)
                writer.key("last_duration_ms")
                if let duration = monitor.lastDurationMs { writer.number(duration) } else { writer.null() }
                writer.key("next_expected_at"); writer.integer(evaluation.nextExpectedAt)
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func endpoints(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        var filter = EndpointFilter()
        filter.time = try query.timeFilter()
        if let direction = query.string("direction") {
            guard let parsed = HTTPRequestRecord.Direction(rawValue: direction) else { throw APIError.badRequest("direction must be inbound or outbound") }
            filter.direction = parsed
        }
        let stats = try await telemetry.endpoints(filter)
        return .jsonObject { writer in
            writer.key("endpoints")
            writer.beginArray()
            for endpoint in stats {
                writer.beginObject()
                writer.key("method"); writer.string(endpoint.method)
                writer.key("host"); writer.string(endpoint.host)
                writer.key("path"); writer.string(endpoint.path)
                writer.key("count"); writer.integer(endpoint.count)
                writer.key("error_count"); writer.integer(endpoint.errorCount)
                writer.key("p50_ms"); writer.number(endpoint.p50)
                writer.key("p95_ms"); writer.number(endpoint.p95)
                writer.key("p99_ms"); writer.number(endpoint.p99)
                writer.endObject()
            }
            writer.endArray()
        }
    }
}
