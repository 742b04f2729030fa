import Foundation
import Hummingbird
import SextantCore

/// SeeStack ingest under `/ingest/v1/` (API.md §6): replay, errors, logs, http-requests,
/// heartbeat and spans, with SeeStack's envelope and its 422 details naming each bad field; and
/// allstak's releases, release-health sessions and database queries.
struct SeeStackController {
    let authenticator: IngestAuthenticator
    let bodyReader: RequestBodyReader
    let writer: BatchWriter
    let replay: ReplayChunkIngestor
    let admission: IngestAdmission
    let metrics: ServerMetrics
    let analytics: any AnalyticsStore
    let monitors: any MonitorStore
    let clock: WallClock

    typealias Handler = @Sendable (JSONValue, IngestCredential, Int, AppRequestContext) async throws -> Response

    func register(in router: Router<AppRequestContext>) {
        let routes: [(String, Handler)] = [
            ("replay", replayBatch), ("errors", error), ("logs", log), ("http-requests", httpRequests), ("heartbeat", heartbeat), ("spans", spans),
            ("releases", release), ("sessions/start", sessionStart), ("sessions/end", sessionEnd), ("db", databaseQueries),
        ]
        for (name, handler) in routes {
            let path = "/ingest/v1/\(name)"
            router.post(RouterPath(path)) { request, context in try await ingest(request, context: context, route: path, handler: handler) }
            router.on(RouterPath(path), method: .options) { request, _ in try await CORS.preflight(request, authenticator: authenticator) }
        }
    }

    /// Authentication, rate limit, body and JSON handling shared by every SeeStack route.
    private func ingest(_ request: Request, context: AppRequestContext, route: String, handler: Handler) async throws -> Response {
        let key = request.headers[.seeStackKey] ?? request.headers[.allStakKey] ?? request.headers[.apiKey]
            ?? request.bearerToken
        let unauthorized = SeeStackEnvelope.error(.unauthorized, code: "INVALID_API_KEY", message: "Invalid or missing API key", context: context, clock: clock)
        let credential = try await authenticator.authenticate(key: key, app: nil, unauthorized: unauthorized)
        let corsHeaders = try CORS.check(request, credential: credential, forbidden: SeeStackEnvelope.error(
            .forbidden, code: "FORBIDDEN", message: "Origin not allowed", context: context, clock: clock))
        let throttled = SeeStackEnvelope.error(.tooManyRequests, code: "RATE_LIMITED", message: "Rate limit exceeded", context: context, clock: clock)
        var response = try await admission.admit(credential.project, refusal: throttled) {
            let body: ByteBuffer
            do {
                body = try await bodyReader.json(request)
            } catch let error as APIError where error.status == .contentTooLarge {
                throw SeeStackEnvelope.error(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "Payload too large", context: context, clock: clock)
            } catch is APIError {
                throw SeeStackEnvelope.validation(["body": "must be valid JSON"], context: context, clock: clock)
            }
            guard let json = try? JSONValue.parse(body.readableBytesView), json.objectValue != nil else {
                throw SeeStackEnvelope.validation(["body": "must be a JSON object"], context: context, clock: clock)
            }
            return try await handler(json, credential, body.readableBytes, context)
        }
        response.headers.append(contentsOf: corsHeaders)
        return response
    }

    // MARK: Routes

    @Sendable func replayBatch(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        var problems = FieldProblems()
        let fingerprint = problems.nonBlank(json["fingerprint"], "fingerprint")
        let sentSessionID = problems.nonBlank(json["sessionId"], "sessionId")
        // SDKs that scrub their own payloads redact the session id (allstak 0.2.1 sends
        // "[REDACTED]"); the fingerprint, the session's stable partition key, stands in for it,
        // or every such session would merge into one.
        let sessionID = sentSessionID.map { Self.redactionPlaceholders.contains($0) ? (fingerprint ?? $0) : $0 }
        let events = json["events"]?.arrayValue ?? []
        if events.isEmpty { problems.add("events", "must not be empty") }
        var chunk = JSONWriter()
        var timestamps: [Int64] = []
        chunk.beginArray()
        for (index, event) in events.enumerated() {
            let field = "events[\(index)]"
            let type = problems.nonBlank(event["eventType"], "\(field).eventType")
            guard let data = event["eventData"]?.stringValue else {
                problems.add("\(field).eventData", "must not be null")
                continue
            }
            guard event["timestampMillis"]?.numberValue != nil else {
                problems.add("\(field).timestampMillis", "must not be null")
                continue
            }
            guard let ts = problems.optionalInteger(event["timestampMillis"], "\(field).timestampMillis", in: WireRange.timestampMs) else { continue }
            let url = problems.optionalString(event["url"], "\(field).url")
            timestamps.append(ts)
            chunk.beginObject()
            chunk.key("eventType"); chunk.string(type)
            chunk.key("eventData"); chunk.string(Self.scrubEventData(data))
            chunk.key("url"); chunk.string(url.map(Scrubber.scrubText))
            chunk.key("timestampMillis"); chunk.integer(ts)
            chunk.endObject()
        }
        chunk.endArray()
        guard problems.isEmpty, let sessionID else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        let summary = ReplayChunkSummary(eventCount: events.count, firstTimestamp: timestamps.min(), lastTimestamp: timestamps.max(), fullSnapshotOffsets: [])
        let stored = try GzipBody.compress(chunk.bytes)
        // Each batch is the session's next chunk; a concurrent batch taking the same number moves this one on.
        var attempts = 0
        while true {
            let last = try await analytics.replayChunks(projectID: credential.project.id, sessionID: sessionID).last?.seq ?? 0
            // A stored sequence at the end of the range (other formats let a client choose it)
            // leaves no next number: refuse rather than overflow.
            guard last < Int(WireRange.sequence.upperBound) else {
                throw SeeStackEnvelope.rawError(.conflict, code: "CONFLICT", message: "Session \(sessionID) has no replay sequence number left")
            }
            let seq = last + 1
            do {
                _ = try await replay.store(projectID: credential.project.id, sessionID: sessionID, seq: seq, ts: nil, storedBytes: stored, summary: summary)
                break
            } catch let error as APIError where error.status == .conflict && attempts < 5 {
                attempts += 1
            }
        }
        metrics.ingested(route: "/ingest/v1/replay", project: credential.project.slug, items: events.count, bytes: bytes)
        return SeeStackEnvelope.success(context: context, clock: clock) { writer in
            writer.key("eventsReceived"); writer.integer(events.count)
        }
    }

    static let redactionPlaceholders: Set<String> = ["[REDACTED]", "[Filtered]", Scrubber.redacted]

    /// eventData is JSON text: scrubbed as JSON when it parses, as text otherwise.
    static func scrubEventData(_ data: String) -> String {
        guard let parsed = try? JSONValue.parse(data) else { return Scrubber.scrubText(data) }
        let scrubbed = Scrubber.scrub(parsed)
        // Unchanged data is kept byte for byte (re-serializing would reorder its keys).
        return scrubbed == parsed ? data : scrubbed.jsonText
    }

    static let errorLevels = ["debug", "info", "warn", "error", "fatal", "warning"]

    @Sendable func error(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        var problems = FieldProblems()
        let exceptionClass = problems.nonBlank(json["exceptionClass"], "exceptionClass")
        let message = problems.nonBlank(json["message"], "message")
        let level = problems.optionalString(json["level"], "level")
        if let level, !Self.errorLevels.contains(level) { problems.add("level", "must match \"debug|info|warn|error|fatal|warning\"") }
        var stack: [JSONValue] = []
        switch json["stackTrace"] {
        case nil, .null?: break
        case .array(let lines)? where lines.allSatisfy({ $0.stringValue != nil }): stack = lines
        default: problems.add("stackTrace", "must be an array of strings")
        }
        let environment = problems.optionalString(json["environment"], "environment")
        let release = problems.optionalString(json["release"], "release")
        let sessionID = problems.optionalString(json["sessionId"], "sessionId")
        if let user = json["user"], !user.isNull, user.objectValue == nil { problems.add("user", "must be an object") }
        if let metadata = json["metadata"], !metadata.isNull, metadata.objectValue == nil { problems.add("metadata", "must be an object") }
        if let request = json["requestContext"], !request.isNull, request.objectValue == nil { problems.add("requestContext", "must be an object") }
        let traceID = problems.optionalString(json["traceId"], "traceId")
        guard problems.isEmpty, let exceptionClass, let message else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        let id = UUID().uuidString.lowercased()
        var props: [String: JSONValue] = [
            "message": .string(message), "stack": .array(stack), "level": .string(level ?? "error"), "errorId": .string(id),
            "source": .string("seestack"),
        ]
        props["environment"] = environment.map(JSONValue.string)
        props["release"] = release.map(JSONValue.string)
        props["traceId"] = traceID.map(JSONValue.string)
        for key in ["user", "metadata", "breadcrumbs", "requestContext"] { if let value = json[key], !value.isNull { props[key] = Scrubber.scrub(value) } }
        let event = IngestEvent(
            ts: clock.nowMilliseconds(), type: .error, name: exceptionClass, userID: json["user"]?["id"]?.stringValue, sessionID: sessionID,
            url: json["metadata"]?["url"]?.stringValue, propsJSON: JSONValue.object(props).jsonText)
        try await writer.submitOrRefuse(.events(EventBatch(projectID: credential.project.id, receivedAt: clock.nowMilliseconds(), events: [event])))
        metrics.ingested(route: "/ingest/v1/errors", project: credential.project.slug, items: 1, bytes: bytes)
        return SeeStackEnvelope.success(context: context, clock: clock) { writer in
            writer.key("id"); writer.string(id)
        }
    }

    @Sendable func log(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        var problems = FieldProblems()
        let levelText = problems.nonBlank(json["level"], "level")
        let level = levelText.flatMap { LogLevel(rawValue: $0) }
        if levelText != nil, level == nil { problems.add("level", "must match \"debug|info|warn|error|fatal\"") }
        let message = problems.nonBlank(json["message"], "message")
        var fields: [String: String] = [:]
        for field in ["service", "traceId", "environment", "spanId", "requestId", "userId"] {
            fields[field] = problems.optionalString(json[field], field)
        }
        let metadata = problems.optionalObjectText(json["metadata"], "metadata")
        guard problems.isEmpty, let level, let message else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        let now = clock.nowMilliseconds()
        var record = LogRecord(ts: now, level: level, message: message, source: "seestack")
        record.service = fields["service"]
        record.traceID = fields["traceId"]
        record.environment = fields["environment"]
        record.spanID = fields["spanId"]
        record.requestID = fields["requestId"]
        record.userID = fields["userId"]
        record.metadataJSON = metadata
        record.uid = UUID().uuidString.lowercased()
        try await writer.submitOrRefuse(.logs(LogBatch(projectID: credential.project.id, receivedAt: now, records: [record])))
        metrics.ingested(route: "/ingest/v1/logs", project: credential.project.slug, items: 1, bytes: bytes)
        return SeeStackEnvelope.success(context: context, clock: clock) { writer in
            writer.key("id"); writer.string(record.uid)
        }
    }

    static let methods: Set<String> = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]

    @Sendable func httpRequests(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        var problems = FieldProblems()
        let items = json["requests"]?.arrayValue ?? []
        if !(1...100).contains(items.count) { problems.add("requests", "size must be between 1 and 100") }
        var records: [HTTPRequestRecord] = []
        for (index, item) in items.enumerated() {
            let field = "requests[\(index)]"
            let direction = item["direction"]?.stringValue.flatMap { HTTPRequestRecord.Direction(rawValue: $0.lowercased()) }
            if direction == nil { problems.add("\(field).direction", "must be inbound or outbound") }
            let method = item["method"]?.stringValue?.uppercased()
            if method.map(Self.methods.contains) != true { problems.add("\(field).method", "must be one of GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS") }
            let host = problems.nonBlank(item["host"], "\(field).host")
            let path = problems.nonBlank(item["path"], "\(field).path")
            let ts = item["timestamp"]?.stringValue.flatMap(ISOTimestamp.parse)
            if ts == nil { problems.add("\(field).timestamp", "must be an ISO 8601 date-time") }
            // Invalid values become nil here, so no record is ever built from them.
            let status = item["statusCode"]?.numberValue.flatMap { $0 == $0.rounded() ? $0.int64(in: 0...599) : nil }
                .flatMap { $0 == 0 || $0 >= 100 ? Int($0) : nil }
            if status == nil { problems.add("\(field).statusCode", "must be 0 or between 100 and 599") }
            let duration = problems.requiredNumber(item["durationMs"], "\(field).durationMs", in: WireRange.durationMs)
            let requestSize = problems.optionalInteger(item["requestSize"], "\(field).requestSize", in: WireRange.size)
            let responseSize = problems.optionalInteger(item["responseSize"], "\(field).responseSize", in: WireRange.size)
            let traceID = problems.optionalString(item["traceId"], "\(field).traceId")
            let userID = problems.optionalString(item["userId"], "\(field).userId")
            let fingerprint = problems.optionalString(item["errorFingerprint"], "\(field).errorFingerprint")
            guard let direction, let method, let host, let path, let ts, let status, let duration else { continue }
            var record = HTTPRequestRecord(ts: ts, direction: direction, method: method, host: host, path: path, statusCode: status, durationMs: duration)
            record.requestSize = requestSize
            record.responseSize = responseSize
            record.traceID = traceID
            record.userID = userID
            record.errorFingerprint = fingerprint
            records.append(record)
        }
        guard problems.isEmpty else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        try await writer.submitOrRefuse(.httpRequests(HTTPRequestBatch(projectID: credential.project.id, receivedAt: clock.nowMilliseconds(), requests: records)))
        metrics.ingested(route: "/ingest/v1/http-requests", project: credential.project.slug, items: records.count, bytes: bytes)
        return SeeStackEnvelope.accepted(records.count)
    }

    @Sendable func heartbeat(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        guard let slug = json["slug"]?.stringValue, !slug.isEmpty else {
            throw SeeStackEnvelope.rawError(.unprocessableContent, code: "VALIDATION_ERROR", message: "Slug must not be blank")
        }
        guard let status = json["status"]?.stringValue.flatMap({ HeartbeatStatus(rawValue: $0.lowercased()) }) else {
            throw SeeStackEnvelope.rawError(.unprocessableContent, code: "VALIDATION_ERROR", message: "Status must be 'success' or 'failed'")
        }
        guard let monitor = try await monitors.monitor(projectID: credential.project.id, slug: slug) else {
            throw SeeStackEnvelope.rawError(.notFound, code: "NOT_FOUND", message: "No cron monitor found with slug: \(slug)")
        }
        var problems = FieldProblems()
        let duration = problems.optionalNumber(json["durationMs"], "durationMs", in: WireRange.durationMs)
        let message = problems.optionalString(json["message"], "message")
        guard problems.isEmpty else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        let now = clock.nowMilliseconds()
        try await writer.submitOrRefuse(.heartbeat(monitor.heartbeat(status: status, durationMs: duration, message: message, at: now)))
        metrics.ingested(route: "/ingest/v1/heartbeat", project: credential.project.slug, items: 1, bytes: bytes)
        return SeeStackEnvelope.raw(.accepted) { writer in
            writer.key("ok"); writer.bool(true)
            writer.key("monitorId"); writer.string(monitor.id)
        }
    }

    static let spanStatuses: Set<String> = ["ok", "error", "timeout"]

    @Sendable func spans(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        var problems = FieldProblems()
        let items = json["spans"]?.arrayValue ?? []
        if !(1...1000).contains(items.count) { problems.add("spans", "size must be between 1 and 1000") }
        var records: [SpanRecord] = []
        for (index, item) in items.enumerated() {
            let field = "spans[\(index)]"
            let traceID = problems.nonBlank(item["traceId"], "\(field).traceId")
            let spanID = problems.nonBlank(item["spanId"], "\(field).spanId")
            let status = problems.optionalString(item["status"], "\(field).status")
            if let status, !Self.spanStatuses.contains(status) { problems.add("\(field).status", "must be ok, error or timeout") }
            guard let traceID, let spanID else { continue }
            var span = SpanRecord(traceID: traceID, spanID: spanID)
            span.parentSpanID = problems.optionalString(item["parentSpanId"], "\(field).parentSpanId")
            span.operation = problems.optionalString(item["operation"], "\(field).operation")
            span.description = problems.optionalString(item["description"], "\(field).description")
            span.status = status
            span.durationMs = problems.optionalNumber(item["durationMs"], "\(field).durationMs", in: WireRange.durationMs)
            span.startMs = problems.optionalInteger(item["startTimeMillis"], "\(field).startTimeMillis", in: WireRange.timestampMs)
            span.endMs = problems.optionalInteger(item["endTimeMillis"], "\(field).endTimeMillis", in: WireRange.timestampMs)
            span.service = problems.optionalString(item["service"], "\(field).service")
            span.environment = problems.optionalString(item["environment"], "\(field).environment")
            span.tagsJSON = problems.optionalObjectText(item["tags"], "\(field).tags")
            span.dataJSON = item["data"].flatMap { $0.isNull ? nil : Scrubber.scrub($0).jsonText }
            records.append(span)
        }
        guard problems.isEmpty else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        try await writer.submitOrRefuse(.spans(SpanBatch(projectID: credential.project.id, receivedAt: clock.nowMilliseconds(), spans: records)))
        metrics.ingested(route: "/ingest/v1/spans", project: credential.project.slug, items: records.count, bytes: bytes)
        return SeeStackEnvelope.accepted(records.count)
    }
}
