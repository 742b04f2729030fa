import Hummingbird
import SextantCore

/// Reads for operations: cron monitors (API.md §8), HTTP endpoint telemetry, database queries and
/// release health.
struct OperationsReadController {
    let monitors: any MonitorStore
    let telemetry: any TelemetryStore
    let clock: WallClock

    func register(in reads: RouterGroup<AppRequestContext>) {
        reads.get("/monitors", use: listMonitors)
        reads.get("/query/requests", use: endpoints)
        reads.get("/query/db", use: queries)
        reads.get("/releases", use: releases)
    }

    @Sendable func listMonitors(_ request: Request, context: AppRequestContext) async throws -> Response {
        let now = clock.nowMilliseconds()
        let found = try await monitors.monitors(projectSlug: QueryParameters(request).string("app"))
        return .jsonObject { writer in Self.write(monitors: found, now: now, into: &writer) }
    }

    static func write(monitors found: [Monitor], now: Int64, into writer: inout JSONWriter) {
        writer.key("monitors")
        writer.beginArray()
        for monitor in found {
            writer.beginObject()
            write(monitor: monitor, now: now, into: &writer)
            writer.endObject()
        }
        writer.endArray()
    }

    /// One monitor's members, evaluated now so a status is never older than the request.
    static func write(monitor: Monitor, now: Int64, into writer: inout JSONWriter) {
        let evaluation = monitor.evaluated(at: now)
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
        writer.key("paused_at"); writer.integer(monitor.pausedAt)
        writer.key("source"); writer.string(monitor.source)
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
        return .jsonObject { writer in Self.write(endpoints: stats, into: &writer) }
    }

    static func write(endpoints stats: [EndpointStats], into writer: inout JSONWriter) {
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

    @Sendable func queries(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        var filter = QueryStatsFilter()
        filter.time = try query.timeFilter()
        filter.databaseType = query.string("database_type")
        filter.limit = try query.limit(default: 100, maximum: 500)
        let stats = try await telemetry.queries(filter)
        return .jsonObject { writer in Self.write(queries: stats, into: &writer) }
    }

    static func write(queries stats: [QueryStats], into writer: inout JSONWriter) {
        writer.key("queries")
        writer.beginArray()
        for group in stats {
            writer.beginObject()
            writer.key("app"); writer.string(group.projectSlug)
            writer.key("query_hash"); writer.string(group.queryHash)
            writer.key("normalized_query"); writer.string(group.normalizedQuery)
            writer.key("query_type"); writer.string(group.queryType)
            writer.key("database_type"); writer.string(group.databaseType)
            writer.key("database_name"); writer.string(group.databaseName)
            writer.key("count"); writer.integer(group.count)
            writer.key("error_count"); writer.integer(group.errorCount)
            writer.key("total_ms"); writer.number(group.totalMs)
            writer.key("avg_ms"); writer.number(group.averageMs)
            writer.key("p50_ms"); writer.number(group.p50)
            writer.key("p95_ms"); writer.number(group.p95)
            writer.key("max_ms"); writer.number(group.maxMs)
            writer.key("last_seen"); writer.integer(group.lastSeen)
            writer.endObject()
        }
        writer.endArray()
    }

    @Sendable func releases(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let found = try await telemetry.releases(ReleaseFilter(projectSlug: query.string("app"), environment: query.string("environment")))
        return .jsonObject { writer in Self.write(releases: found, into: &writer) }
    }

    static func write(releases found: [ReleaseHealth], into writer: inout JSONWriter) {
        writer.key("releases")
        writer.beginArray()
        for health in found {
            let release = health.release
            writer.beginObject()
            writer.key("app"); writer.string(health.projectSlug)
            writer.key("version"); writer.string(release.version)
            writer.key("environment"); writer.string(release.environment)
            writer.key("commit_sha"); writer.string(release.commitSHA)
            writer.key("branch"); writer.string(release.branch)
            writer.key("author"); writer.string(release.author)
            writer.key("message"); writer.string(release.message)
            writer.key("first_seen"); writer.integer(health.firstSeen)
            writer.key("last_seen"); writer.integer(health.lastSeen)
            writer.key("sessions")
            writer.beginObject()
            writer.key("total"); writer.integer(health.sessionCount)
            for status in ReleaseSessionStatus.allCases {
                writer.key(status.rawValue); writer.integer(health.sessions[status, default: 0])
            }
            writer.key("open"); writer.integer(health.openSessions)
            writer.endObject()
            writer.key("crash_free_rate")
            if let rate = health.crashFreeRate { writer.number(rate) } else { writer.null() }
            writer.endObject()
        }
        writer.endArray()
    }
}
