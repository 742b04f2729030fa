import Hummingbird
import SextantCore

/// LuminaLog ingest (`POST /v1/logs`, API.md §7) and log search (`GET /v1/query/logs`). The
/// route is shared with OTLP logs: a protobuf body, or JSON with `resourceLogs`, goes to OTLP.
struct LuminaLogController {
    let authenticator: IngestAuthenticator
    let bodyReader: RequestBodyReader
    let writer: BatchWriter
    let admission: IngestAdmission
    let metrics: ServerMetrics
    let logs: any LogStore
    let clock: WallClock
    let otlp: OTLPController

    static let route = "/v1/logs"

    func register(in router: Router<AppRequestContext>, reads: RouterGroup<AppRequestContext>) {
        router.post(RouterPath(Self.route), use: ingest)
        router.on(RouterPath(Self.route), method: .options) { request, _ in
            try await CORS.preflight(request, authenticator: authenticator)
        }
        reads.get("/query/logs", use: query)
    }

    @Sendable func ingest(_ request: Request, context: AppRequestContext) async throws -> Response {
        if OTLPEncoding(contentType: request.headers[.contentType]) == .protobuf { return try await otlp.logs(request, body: nil) }
        // A key in the header is checked before the body is read: a wrong one costs no memory.
        if let headerKey = request.headers[.apiKey], !headerKey.isEmpty {
            _ = try await authenticator.authenticate(key: headerKey, app: nil, unauthorized: APIError.plain(.unauthorized, "Invalid API key"))
        }
        let body = try await bodyReader.json(request)
        if OTLPResponse.isLogsExport(json: body.readableBytesView) { return try await otlp.logs(request, body: body) }
        let batch: LuminaLogBatch
        let decodingError: LuminaLogBatch.DecodingError?
        do {
            batch = try LuminaLogBatch.decode(body.readableBytesView)
            decodingError = nil
        } catch {
            // The key may be in the body: still authenticate before reporting what is wrong with it.
            batch = LuminaLogBatch(apiKey: nil, records: [])
            decodingError = error
        }
        let headerKey = request.headers[.apiKey]
        let key = headerKey ?? batch.apiKey ?? (decodingError == nil ? nil : Self.legacyKey(in: body))
        guard let key, !key.isEmpty else { throw APIError.plain(.unauthorized, "Missing API key") }
        let credential = try await authenticator.authenticate(key: key, app: nil, unauthorized: APIError.plain(.unauthorized, "Invalid API key"))
        let corsHeaders = try CORS.check(request, credential: credential, forbidden: APIError.plain(.forbidden, "Origin not allowed"))
        return try await admission.admit(credential.project, refusal: APIError.plain(.tooManyRequests, "Rate limit exceeded")) {
            switch decodingError {
            case .tooManyLogs?: throw APIError.plain(.contentTooLarge, "At most \(LuminaLogBatch.maximumLogs) logs per batch")
            case .invalid(let message)?: throw APIError.badRequest(message)
            case nil: break
            }
            let now = clock.nowMilliseconds()
            if !batch.records.isEmpty {
                _ = try await writer.submitOrRefuse(.logs(LogBatch(projectID: credential.project.id, receivedAt: now, records: batch.records)))
            }
            metrics.ingested(route: Self.route, project: credential.project.slug, items: batch.records.count, bytes: body.readableBytes)
            var headers = corsHeaders
            if headerKey == nil { headers[.deprecation] = "true" }
            return .jsonObject(headers: headers) { writer in
                writer.key("message"); writer.string("Logs ingested successfully")
                writer.key("processed"); writer.integer(batch.records.count)
                writer.key("bytes_used"); writer.integer(body.readableBytes)
            }
        }
    }

    /// The body's `api_key`, read on its own when the rest of the body is invalid.
    static func legacyKey(in body: ByteBuffer) -> String? {
        try? JSONScanner.withScanner(over: body.readableBytesView) { scanner -> String? in
            var key: String?
            try scanner.readObject { scanner, member in
                if member == "api_key", scanner.peek() == UInt8(ascii: "\"") { key = try scanner.readString() } else { try scanner.skipValue() }
            }
            return key
        }
    }

    @Sendable func query(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        var filter = LogFilter()
        filter.time = try query.timeFilter()
        filter.environment = query.string("environment")
        if let level = query.string("level") {
            guard let parsed = LogLevel(rawValue: level) else { throw APIError.badRequest("level must be one of debug, info, warn, error, fatal") }
            filter.level = parsed
        }
        filter.words = LogFilter.words(of: query.string("q") ?? "")
        filter.limit = try query.limit(default: 100, maximum: 500)
        let found = try await logs.logs(filter)
        return .jsonObject { writer in Self.write(logs: found, into: &writer) }
    }

    /// `"logs": [...]`, as `GET /v1/query/logs` and the MCP tools answer it.
    static func write(logs found: [StoredLog], into writer: inout JSONWriter) {
        writer.key("logs")
        writer.beginArray()
        for log in found {
            let record = log.record
            writer.beginObject()
            writer.key("id"); writer.integer(log.id)
            writer.key("ts"); writer.integer(record.ts)
            writer.key("timestamp"); writer.string(ISOTimestamp.format(record.ts))
            writer.key("app"); writer.string(log.projectSlug)
            writer.key("level"); writer.string(record.level.rawValue)
            writer.key("message"); writer.string(record.message)
            writer.key("environment"); writer.string(record.environment)
            writer.key("service"); writer.string(record.service)
            writer.key("metadata"); writer.raw(record.metadataJSON)
            writer.key("error"); writer.raw(record.errorJSON)
            writer.key("trace_id"); writer.string(record.traceID)
            writer.key("span_id"); writer.string(record.spanID)
            writer.key("parent_span_id"); writer.string(record.parentSpanID)
            writer.key("request_id"); writer.string(record.requestID)
            writer.key("user_id"); writer.string(record.userID)
            writer.key("project_id"); writer.string(record.clientProjectID)
            writer.key("source"); writer.string(record.source)
            writer.endObject()
        }
        writer.endArray()
    }
}
