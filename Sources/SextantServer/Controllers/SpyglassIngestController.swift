import Hummingbird
import SextantCore

/// spyglass ingest: `POST /v1/events` and `POST /v1/replay` (API.md §4).
struct SpyglassIngestController {
    let authenticator: IngestAuthenticator
    let bodyReader: RequestBodyReader
    let writer: BatchWriter
    let replay: ReplayChunkIngestor
    let admission: IngestAdmission
    let metrics: ServerMetrics
    let clock: WallClock

    func register(in router: Router<AppRequestContext>) {
        router.post("/v1/events", use: events)
        router.post("/v1/replay", use: replayChunk)
        for path in ["/v1/events", "/v1/replay"] {
            router.on(RouterPath(path), method: .options) { request, _ in
                try await CORS.preflight(request, authenticator: authenticator)
            }
        }
    }

    private static let unauthorized = APIError.plain(.unauthorized, "unauthorized")
    private static let originRefused = APIError.plain(.forbidden, "origin not allowed")
    private static let throttled = APIError.plain(.tooManyRequests, "rate limit exceeded")

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await bodyReader.json(request)
        let now = clock.nowMilliseconds()
        let batch: EventBatchRequest
        do {
            batch = try EventBatchDecoder.decode(body.readableBytesView, now: now)
        } catch EventBatchDecodingError.malformed(let message), EventBatchDecodingError.badField(let message) {
            throw APIError.badRequest(message)
        } catch EventBatchDecodingError.tooManyEvents(let limit) {
            throw APIError.plain(.contentTooLarge, "at most \(limit) events per batch")
        }
        let credential = try await authenticator.authenticate(key: batch.key, app: batch.app, unauthorized: Self.unauthorized)
        let corsHeaders = try CORS.check(request, credential: credential, forbidden: Self.originRefused)
        return try await admission.admit(credential.project, refusal: Self.throttled) {
            if let invalid = batch.invalidEvent {
                throw APIError.plain(.badRequest, invalid.message) { writer in
                    writer.key("index")
                    writer.integer(invalid.index)
                }
            }
            if !batch.events.isEmpty {
                var events = EventBatch(projectID: credential.project.id, receivedAt: now, events: batch.events)
                events.userAgent = request.headers[.userAgent]
                try await writer.submitOrRefuse(.events(events))
            }
            metrics.ingested(route: "/v1/events", project: credential.project.slug, items: batch.events.count, bytes: body.readableBytes)
            return Response(status: .noContent, headers: corsHeaders)
        }
    }

    @Sendable func replayChunk(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let key = request.headers[.spyglassKey] ?? request.headers[.apiKey] ?? request.bearerToken
            ?? query.string("key")
        let credential = try await authenticator.authenticate(key: key, app: query.string("app"), unauthorized: Self.unauthorized)
        let corsHeaders = try CORS.check(request, credential: credential, forbidden: Self.originRefused)
        return try await admission.admit(credential.project, refusal: Self.throttled) {
            try await storeChunk(request, query: query, credential: credential, corsHeaders: corsHeaders)
        }
    }

    private func storeChunk(_ request: Request, query: QueryParameters, credential: IngestCredential, corsHeaders: HTTPFields) async throws -> Response {
        guard let seqText = query.string("seq") else { throw APIError.badRequest("seq is required") }
        guard let seq = Int(seqText), seq >= 1, seq <= WireRange.sequence.upperBound else {
            throw APIError.badRequest("seq must be an integer \(WireRange.describe(1...WireRange.sequence.upperBound))")
        }
        let session = ReplayChunkIngestor.sanitizeSessionID(query.string("session") ?? "")
        guard !session.isEmpty else { throw APIError.badRequest("session is required ([A-Za-z0-9_-])") }
        let ts = try query.integer("ts", in: WireRange.timestampMs)
        // The body stays as sent: it is stored compressed, never decoded away by Content-Encoding.
        let body = try await bodyReader.raw(request, limit: bodyReader.limits.maxReplayChunkBytes)
        guard GzipBody.isGzip(body) else { throw APIError.badRequest("replay chunk must be a gzip stream") }
        let json = try bodyReader.inflate(body)
        // Secrets never reach disk: a chunk that needed scrubbing is stored re-compressed.
        var stored = Array(body.readableBytesView)
        if let scrubbed = try? Scrubber.scrubReplayJSON(json.readableBytesView) {
            stored = try GzipBody.compress(scrubbed)
        }
        let outcome = try await replay.store(
            projectID: credential.project.id, sessionID: session, seq: seq, ts: ts, storedBytes: stored, json: json.readableBytesView,
            hint: SessionHint(userAgent: request.headers[.userAgent]))
        if outcome == .stored {
            metrics.ingested(route: "/v1/replay", project: credential.project.slug, items: 1, bytes: body.readableBytes)
        }
        return Response(status: .noContent, headers: corsHeaders)
    }
}

extension BatchWriter {
    /// Submits and maps a refusal to its answer: a full queue or a shutdown to 503, low disk to
    /// 507, each with `Retry-After`.
    @discardableResult
    func submitOrRefuse(_ item: IngestItem) async throws -> IngestOutcome {
        do {
            return try await submit(item)
        } catch let error as BatchWriterError {
            throw APIError.ingestRefusal(error)
        } catch StorageError.diskFull {
            throw APIError.ingestRefusal(.diskLow)
        }
    }

    /// Refuses now, in the same terms as `submitOrRefuse`, when the writer would not take a row.
    func admitOrRefuse() throws {
        do {
            try refuseIfNotAdmitting()
        } catch let error as BatchWriterError {
            throw APIError.ingestRefusal(error)
        }
    }
}

extension APIError {
    static func ingestRefusal(_ error: BatchWriterError) -> APIError {
        var refusal = switch error {
        case .overloaded: APIError.plain(.serviceUnavailable, "ingest queue is full, retry shortly")
        case .closed: APIError.plain(.serviceUnavailable, "server is shutting down")
        case .diskLow: APIError.plain(.init(code: 507, reasonPhrase: "Insufficient Storage"), "disk space is low: ingest is paused, reads go on")
        }
        refusal.headers[.retryAfter] = error == .diskLow ? "30" : "1"
        return refusal
    }
}
