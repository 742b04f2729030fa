import Hummingbird
import SextantCore

/// Traces, read side (issue 12): a list, and one trace's span tree with the errors and logs that
/// carry its id. Spans come from Sentry transactions and SeeStack's `/ingest/v1/spans`.
struct TraceReadController {
    let telemetry: any TelemetryStore
    let analytics: any AnalyticsStore
    let logs: any LogStore

    func register(in reads: RouterGroup<AppRequestContext>) {
        reads.get("/query/traces", use: list)
        reads.get("/traces/:trace_id", use: trace)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        var filter = TraceFilter()
        filter.time = try query.timeFilter()
        filter.service = query.string("service")
        filter.minimumDurationMs = try query.integer("min_duration_ms", in: 0...Int64(WireRange.durationMs.upperBound)).map(Double.init)
        filter.limit = try query.limit(default: 50, maximum: 500)
        let found = try await telemetry.traces(filter)
        return .jsonObject { writer in Self.write(traces: found, into: &writer) }
    }

    @Sendable func trace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let traceID = try context.parameters.decoded("trace_id")
        let detail = try await Self.detail(traceID: traceID, projectSlug: QueryParameters(request).string("app"), telemetry: telemetry,
                                           analytics: analytics, logs: logs)
        guard let detail else { throw APIError.notFound("No trace \(traceID)") }
        return .jsonObject { writer in Self.write(detail, into: &writer) }
    }

    struct Detail {
        let traceID: String
        let spans: [StoredSpan]
        let errors: [StoredEvent]
        let logs: [StoredLog]
    }

    static func detail(
        traceID: String, projectSlug: String?, telemetry: any TelemetryStore, analytics: any AnalyticsStore, logs: any LogStore
    ) async throws -> Detail? {
        let spans = try await telemetry.spans(traceID: traceID, projectSlug: projectSlug)
        var errorFilter = EventFilter()
        errorFilter.time.projectSlug = projectSlug
        errorFilter.errorTraceID = traceID
        errorFilter.limit = 100
        var logFilter = LogFilter()
        logFilter.time.projectSlug = projectSlug
        logFilter.traceID = traceID
        logFilter.limit = 200
        let errors = try await analytics.events(errorFilter)
        let lines = try await logs.logs(logFilter)
        guard !spans.isEmpty || !errors.isEmpty || !lines.isEmpty else { return nil }
        return Detail(traceID: traceID, spans: spans, errors: errors, logs: lines)
    }

    static func write(traces found: [TraceSummary], into writer: inout JSONWriter) {
        writer.key("traces")
        writer.beginArray()
        for trace in found {
            writer.beginObject()
            writer.key("trace_id"); writer.string(trace.traceID)
            writer.key("app"); writer.string(trace.projectSlug)
            writer.key("name"); writer.string(trace.name)
            writer.key("service"); writer.string(trace.service)
            writer.key("start_ms"); writer.integer(trace.startMs)
            writer.key("duration_ms"); writer.number(trace.durationMs)
            writer.key("span_count"); writer.integer(trace.spanCount)
            writer.key("error_count"); writer.integer(trace.errorCount)
            writer.endObject()
        }
        writer.endArray()
    }

    static func write(_ detail: Detail, into writer: inout JSONWriter) {
        let depths = TraceTree.depths(detail.spans.map(\.span))
        writer.key("trace_id"); writer.string(detail.traceID)
        writer.key("spans")
        writer.beginArray()
        for stored in detail.spans {
            let span = stored.span
            writer.beginObject()
            writer.key("app"); writer.string(stored.projectSlug)
            writer.key("span_id"); writer.string(span.spanID)
            writer.key("parent_span_id"); writer.string(span.parentSpanID)
            writer.key("depth"); writer.integer(depths[span.spanID] ?? 0)
            writer.key("operation"); writer.string(span.operation)
            writer.key("description"); writer.string(span.description)
            writer.key("status"); writer.string(span.status)
            writer.key("start_ms"); writer.integer(span.startMs)
            writer.key("end_ms"); writer.integer(span.endMs)
            writer.key("duration_ms")
            if let duration = span.durationMs { writer.number(duration) } else { writer.null() }
            writer.key("service"); writer.string(span.service)
            writer.key("environment"); writer.string(span.environment)
            writer.key("tags"); writer.raw(span.tagsJSON)
            writer.key("data"); writer.raw(span.dataJSON)
            writer.endObject()
        }
        writer.endArray()
        writer.key("errors")
        writer.beginArray()
        for event in detail.errors { EventJSON.write(event, into: &writer) }
        writer.endArray()
        LuminaLogController.write(logs: detail.logs, into: &writer)
    }
}
