import Hummingbird
import SextantCore

/// Lucent's SDK ingest: `POST /api/sdk/replay` (API.md §5). CORS allows any origin, as Lucent's does.
struct LucentIngestController {
    let authenticator: IngestAuthenticator
    let bodyReader: RequestBodyReader
    let replay: ReplayChunkIngestor
    let admission: IngestAdmission
    let metrics: ServerMetrics

    static let route = "/api/sdk/replay"
    private static let anyOrigin: HTTPFields = [.accessControlAllowOrigin: "*"]

    func register(in router: Router<AppRequestContext>) {
        router.post(RouterPath(Self.route), use: ingest)
        router.on(RouterPath(Self.route), method: .options) { _, _ in
            var response = CORS.preflightResponse(origin: "*")
            response.headers[.vary] = nil
            return response
        }
    }

    private static func error(_ status: HTTPResponse.Status, _ message: String) -> APIError {
        var error = APIError.plain(status, message)
        error.headers = anyOrigin
        return error
    }

    @Sendable func ingest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let key = request.headers[.lucentKey] ?? QueryParameters(request).string("api_key")
            ?? request.bearerToken
        guard let key, !key.isEmpty else { throw Self.error(.unauthorized, "Missing API key") }
        let credential = try await authenticator.authenticate(key: key, app: nil, unauthorized: Self.error(.unauthorized, "Invalid or revoked API key"))
        return try await admission.admit(credential.project, refusal: Self.error(.tooManyRequests, "Rate limit exceeded")) {
            try await store(request, credential: credential)
        }
    }

    private func store(_ request: Request, credential: IngestCredential) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await bodyReader.json(request)
        } catch let error as APIError {
            throw Self.error(error.status, error.status == .contentTooLarge ? "Payload too large" : "Invalid replay batch")
        }
        let batch: LucentReplayBatch
        do {
            batch = try LucentReplayBatch.decode(body.readableBytesView)
        } catch .tooManyEvents {
            throw Self.error(.contentTooLarge, "At most \(LucentReplayBatch.maximumEvents) events per batch")
        } catch .invalid(let problems) {
            var error = APIError.plain(.badRequest, "Invalid replay batch") { writer in
                writer.key("details")
                writer.beginArray()
                for problem in problems {
                    writer.beginObject()
                    writer.key("path"); writer.string(problem.path)
                    writer.key("message"); writer.string(problem.message)
                    writer.endObject()
                }
                writer.endArray()
            }
            error.headers = Self.anyOrigin
            throw error
        }
        // Spyglass numbers chunks from 1, Lucent's sequence from 0.
        var hint = SessionHint(userID: batch.userID, entryURL: batch.sessionURL ?? batch.pageURL, isFinal: batch.isFinal,
                               userAgent: batch.userAgent ?? request.headers[.userAgent])
        hint.userProperties = batch.userProperties
        let outcome = try await replay.store(
            projectID: credential.project.id, sessionID: batch.sessionID, seq: batch.sequence + 1, ts: nil,
            storedBytes: try GzipBody.compress((try? Scrubber.scrubReplayJSON(batch.eventsJSON)) ?? batch.eventsJSON),
            summary: batch.summary, hint: hint)
        if outcome == .stored {
            metrics.ingested(route: Self.route, project: credential.project.slug, items: batch.summary.eventCount, bytes: body.readableBytes)
        }
        return .jsonObject(headers: Self.anyOrigin) { writer in
            writer.key("ok")
            writer.bool(true)
        }
    }
}
