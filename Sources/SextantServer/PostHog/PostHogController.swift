import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SextantCore

/// PostHog's capture API, so posthog-js and posthog-python need only `api_host` / `host`
/// pointed at Sextant and a project ingest key as their API key: events on `/batch/`, `/e/`,
/// `/i/v0/e/`, `/capture/` and `/track/`, recordings on `/s/`, and `/flags/` and `/decide/`
/// answering that no flag is enabled.
struct PostHogController {
    let authenticator: IngestAuthenticator
    let bodyReader: RequestBodyReader
    let writer: BatchWriter
    let replay: ReplayChunkIngestor
    let admission: IngestAdmission
    let metrics: ServerMetrics
    let clock: WallClock

    static let capturePaths = ["/batch", "/e", "/i/v0/e", "/capture", "/track", "/s"]
    static let flagPaths = ["/flags", "/decide"]

    func register(in router: Router<AppRequestContext>) {
        for path in Self.capturePaths {
            router.post(RouterPath(path)) { request, _ in try await capture(request, route: "\(path)/") }
        }
        for path in Self.flagPaths {
            router.post(RouterPath(path)) { _, _ in Self.noFlags() }
            router.get(RouterPath(path)) { _, _ in Self.noFlags() }
        }
        for path in Self.capturePaths + Self.flagPaths {
            router.on(RouterPath(path), method: .options) { request, _ in try await CORS.preflight(request, authenticator: authenticator) }
        }
    }

    func capture(_ request: Request, route: String) async throws -> Response {
        let body = try await bodyReader.json(request)
        let payload = try decode(body, request: request)
        let query = request.uri.queryParameters
        let key = payload.apiKey ?? query.get("token") ?? query.get("api_key") ?? request.bearerToken
        let credential = try await authenticator.authenticate(
            key: key, app: nil,
            unauthorized: Self.error(.unauthorized, type: "authentication_error", code: "invalid_api_key",
                                     "Project API key invalid. Send a Sextant ingest key as the PostHog api_key."))
        let corsHeaders = try CORS.check(request, credential: credential, forbidden: Self.error(.forbidden, code: "origin_not_allowed", "origin not allowed"))
        var response = try await admission.admit(credential.project, refusal: Self.error(.tooManyRequests, code: "rate_limited", "rate limited")) {
            let now = clock.nowMilliseconds()
            let mapped: PostHogEvents
            do {
                mapped = try PostHogEvents.map(payload, now: now)
            } catch let problem as PostHogEvents.Problem {
                throw Self.error(.badRequest, code: "invalid_payload", problem.description)
            }
            let projectID = credential.project.id
            // Every snapshot is checked before anything is stored; they go first, since a stored
            // chunk's retry is a harmless duplicate, and the events with the user properties last, in one commit.
            let snapshots = try mapped.snapshots.map { try Self.inspect($0) }
            for (snapshot, json, summary) in snapshots { try await store(snapshot, json: json, summary: summary, projectID: projectID) }
            var items: [IngestItem] = []
            if !mapped.events.isEmpty {
                var events = EventBatch(projectID: projectID, receivedAt: now, events: mapped.events)
                events.userAgent = request.headers[.userAgent]
                items.append(.events(events))
            }
            if !mapped.userProperties.isEmpty { items.append(.userProperties(UserPropertyBatch(projectID: projectID, updates: mapped.userProperties))) }
            if let item = IngestItem.combined(items) { try await writer.submitOrRefuse(item) }
            metrics.ingested(route: route, project: credential.project.slug, items: payload.events.count, bytes: body.readableBytes)
            return .jsonObject { writer in
                writer.key("status"); writer.integer(1)
            }
        }
        response.headers.append(contentsOf: corsHeaders)
        return response
    }

    /// A form post carries the payload in `data` (base64, or lz-string with `compression=lz64`).
    private func decode(_ body: ByteBuffer, request: Request) throws -> PostHogPayload {
        var bytes = Array(buffer: body)
        var compression = request.uri.queryParameters.get("compression")
        let isForm = request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
        let formEncoded = isForm || bytes.starts(with: Array("data=".utf8))
        if formEncoded {
            let form = FormBody(bytes)
            bytes = Array((form["data"] ?? "").utf8)
            compression = form["compression"] ?? compression
        }
        do {
            return try PostHogPayload.decode(bytes, compression: compression, base64: formEncoded, limit: bodyReader.limits.maxDecompressedBytes)
        } catch {
            throw Self.error(error.isTooLarge ? .contentTooLarge : .badRequest, code: "invalid_payload", error.description)
        }
    }

    /// A `$snapshot`'s rrweb events become one replay chunk of the session, numbered by the time
    /// of its first event so that chunks sort as they were recorded and a retry is a duplicate.
    private func store(_ snapshot: PostHogEvents.Snapshot, json: [UInt8], summary: ReplayChunkSummary, projectID: Int64) async throws {
        let first = snapshot.events.compactMap { $0["timestamp"]?.timestampMsValue }.min() ?? clock.nowMilliseconds()
        _ = try await replay.store(
            projectID: projectID, sessionID: ReplayChunkIngestor.sanitizeSessionID(snapshot.sessionID), seq: Int(first), ts: nil,
            storedBytes: try GzipBody.compress(json), summary: summary, hint: SessionHint(userID: snapshot.userID))
    }

    /// The snapshot's rrweb events as JSON, checked as every replay chunk is: a 400 when invalid.
    static func inspect(_ snapshot: PostHogEvents.Snapshot) throws -> (PostHogEvents.Snapshot, [UInt8], ReplayChunkSummary) {
        let json = Array(JSONValue.array(snapshot.events).jsonText.utf8)
        do {
            return (snapshot, json, try ReplayChunkInspector.inspect(json))
        } catch let problem as ReplayChunkError {
            throw Self.error(.badRequest, code: "invalid_snapshot", "$snapshot: \(problem.description)")
        }
    }

    /// What `/flags/?v=2` and `/decide/` answer when no flag is enabled, in both the current and
    /// the older response shapes, with recordings going to `/s/`.
    static func noFlags() -> Response {
        .jsonObject { writer in
            writer.key("flags"); writer.beginObject(); writer.endObject()
            writer.key("featureFlags"); writer.beginObject(); writer.endObject()
            writer.key("featureFlagPayloads"); writer.beginObject(); writer.endObject()
            writer.key("errorsWhileComputingFlags"); writer.bool(false)
            writer.key("quotaLimited"); writer.beginArray(); writer.endArray()
            writer.key("requestId"); writer.string(UUID().uuidString.lowercased())
            writer.key("sessionRecording")
            writer.beginObject()
            writer.key("endpoint"); writer.string("/s/")
            writer.key("recorderVersion"); writer.string("v2")
            writer.endObject()
            writer.key("supportedCompression"); writer.beginArray(); writer.string("gzip-js"); writer.endArray()
            writer.key("autocapture_opt_out"); writer.bool(true)
            writer.key("capturePerformance"); writer.bool(false)
            writer.key("siteApps"); writer.beginArray(); writer.endArray()
        }
    }

    /// PostHog's error body: the SDKs read `detail`.
    static func error(_ status: HTTPResponse.Status, type: String = "validation_error", code: String, _ detail: String) -> APIError {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("type"); writer.string(type)
        writer.key("code"); writer.string(code)
        writer.key("detail"); writer.string(detail)
        writer.endObject()
        return APIError(status: status, body: writer.bytes)
    }
}
