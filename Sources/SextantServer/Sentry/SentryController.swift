import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SextantCore

/// Sentry's ingest (`POST /api/:project_id/envelope/` and the older `/store/`), so a DSN
/// `http://KEY@HOST/PROJECT` is all a Sentry SDK needs. The key is any ingest key of the project;
/// `project_id` is the project's numeric id or its slug.
struct SentryController {
    let authenticator: IngestAuthenticator
    let bodyReader: RequestBodyReader
    let writer: BatchWriter
    let replay: ReplayChunkIngestor
    let blobs: any BlobStore
    let admission: IngestAdmission
    let metrics: ServerMetrics
    let monitors: any MonitorStore
    let clock: WallClock
    let logger: Logger

    func register(in router: Router<AppRequestContext>) {
        for (name, handler) in [("envelope", envelope), ("store", store)] as [(String, @Sendable (Request, AppRequestContext) async throws -> Response)] {
            let path = RouterPath("/api/:project_id/\(name)")
            router.post(path, use: handler)
            router.on(path, method: .options) { request, _ in try await CORS.preflight(request, authenticator: authenticator) }
        }
    }

    @Sendable func envelope(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await ingest(request, context: context, route: "/api/:project_id/envelope/") { bytes, now in
            do {
                return try SentryEnvelopeContents.decode(
                    try SentryEnvelope.parse(bytes), now: now, inflateLimit: bodyReader.limits.maxDecompressedBytes)
            } catch let error as SentryEnvelopeError {
                throw Self.error(.badRequest, "invalid envelope: \(error)")
            }
        }
    }

    @Sendable func store(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await ingest(request, context: context, route: "/api/:project_id/store/") { bytes, now in
            guard let event = try? JSONValue.parse(bytes), event.objectValue != nil else { throw Self.error(.badRequest, "the event is not a JSON object") }
            var contents = SentryEnvelopeContents(eventID: event["event_id"]?.stringValue)
            if event["type"]?.stringValue == "transaction" {
                do { contents.spans = try SentryTransaction.spans(event) } catch let error as SentryEnvelopeError { throw Self.error(.badRequest, "\(error)") }
            } else {
                contents.errors = [SentryEvent.errorEvent(event, now: now)]
            }
            return contents
        }
    }

    private func ingest(
        _ request: Request, context: AppRequestContext, route: String, decode: ([UInt8], Int64) throws -> SentryEnvelopeContents
    ) async throws -> Response {
        let credential = try await authenticator.authenticate(
            key: Self.key(request), app: nil, unauthorized: Self.error(.unauthorized, "missing or unknown sentry_key"))
        let projectID = try context.parameters.decoded("project_id")
        guard projectID == String(credential.project.id) || projectID == credential.project.slug else {
            throw Self.error(.forbidden, "the key belongs to project \(credential.project.id) (\(credential.project.slug)), not \(projectID)")
        }
        let corsHeaders = try CORS.check(request, credential: credential, forbidden: Self.error(.forbidden, "origin not allowed"))
        let encoding = request.headers[.contentEncoding]?.lowercased()
        if let encoding, !["gzip", "x-gzip", "deflate", "identity"].contains(encoding) {
            throw Self.error(.unsupportedMediaType, "Content-Encoding \(encoding) is not supported: send gzip, deflate or no encoding")
        }
        var response = try await admission.admit(
            credential.project, refusal: Self.error(.tooManyRequests, "rate limited"),
            retryHeaders: { seconds in [.sentryRateLimits: "\(seconds)::project"] }
        ) {
            let body = try await body(request, deflated: encoding == "deflate")
            let now = clock.nowMilliseconds()
            let contents = try decode(Array(buffer: body), now)
            try await recordCheckIns(contents.checkIns, project: credential.project, now: now)
            if let item = IngestItem.combined(contents.items(projectID: credential.project.id, receivedAt: now)) {
                try await writer.submitOrRefuse(item)
            }
            for segment in contents.replays {
                _ = try await replay.store(
                    projectID: credential.project.id, sessionID: ReplayChunkIngestor.sanitizeSessionID(segment.replayID), seq: segment.segmentID,
                    ts: nil, storedBytes: try GzipBody.compress(segment.events), summary: segment.summary,
                    hint: SessionHint(userID: segment.userID, entryURL: segment.entryURL))
            }
            if let eventID = contents.eventID {
                for attachment in contents.attachments {
                    try await store(attachment, eventID: eventID, projectID: credential.project.id, now: now)
                }
            }
            metrics.skipped(route: route, types: contents.skipped)
            let count = contents.errors.count + contents.spans.count + contents.logs.count + contents.sessions.count + contents.checkIns.count
                + contents.replays.count + contents.attachments.count
            metrics.ingested(route: route, project: credential.project.slug, items: count, bytes: body.readableBytes)
            let id = contents.eventID ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            return .jsonObject { writer in
                writer.key("id"); writer.string(id)
            }
        }
        response.headers.append(contentsOf: corsHeaders)
        return response
    }

    /// HTTP's `deflate` is a zlib stream; gzip (by header or magic bytes) and plain bodies are the reader's.
    private func body(_ request: Request, deflated: Bool) async throws -> ByteBuffer {
        guard deflated else { return try await bodyReader.json(request) }
        let compressed = try await bodyReader.raw(request, limit: bodyReader.limits.maxBodyBytes)
        do {
            return try GzipBody.inflateZlib(compressed, limit: bodyReader.limits.maxDecompressedBytes)
        } catch GzipBodyError.tooLarge {
            throw Self.error(.contentTooLarge, "the inflated body is over \(bodyReader.limits.maxDecompressedBytes) bytes")
        } catch {
            throw Self.error(.badRequest, "the body is not a zlib stream")
        }
    }

    /// A check-in with `monitor_config` creates or updates its monitor; one without, for a monitor
    /// Sextant does not know, is dropped (Sentry does the same). `in_progress` only says a run started.
    private func recordCheckIns(_ checkIns: [SentryCheckIn], project: Project, now: Int64) async throws {
        for checkIn in checkIns {
            var monitor: Monitor?
            if let config = checkIn.config {
                do {
                    monitor = try await monitors.configure(
                        projectID: project.id, slug: checkIn.monitorSlug, schedule: config.schedule, graceSeconds: config.graceSeconds, now: now)
                } catch let error as MonitorError {
                    throw Self.error(.badRequest, "monitor_config: \(error)")
                }
            } else {
                monitor = try await monitors.monitor(projectID: project.id, slug: checkIn.monitorSlug)
            }
            guard let monitor else {
                logger.info("Sentry check-in for an unknown monitor dropped", metadata: ["monitor": "\(checkIn.monitorSlug)"])
                continue
            }
            let status: HeartbeatStatus
            switch checkIn.status {
            case .inProgress: continue
            case .ok: status = .success
            case .error: status = .failed
            }
            try await writer.submitOrRefuse(.heartbeat(monitor.heartbeat(status: status, durationMs: checkIn.durationMs, message: nil, at: now)))
        }
    }

    /// The file goes to the blob store under a key of its own upload, then its row commits; a
    /// file whose row does not commit, or that was already stored, is removed again, which can
    /// never touch a file a committed row points at.
    private func store(_ attachment: SentryEnvelopeContents.Attachment, eventID: String, projectID: Int64, now: Int64) async throws {
        let key = "attachments/\(projectID)/\(UUID().uuidString.lowercased())"
        try writer.admitOrRefuse()
        try await blobs.put(attachment.bytes, key: key)
        let record = AttachmentRecord(
            projectID: projectID, eventID: eventID, filename: attachment.filename, contentType: attachment.contentType,
            byteSize: attachment.bytes.count, sha256: Secrets.sha256Hex(bytes: attachment.bytes), blobKey: key, receivedAt: now)
        let outcome: IngestOutcome
        do {
            outcome = try await writer.submitOrRefuse(.attachment(record))
        } catch {
            try? await blobs.delete(key: key)
            throw error
        }
        if outcome != .stored { try? await blobs.delete(key: key) }
    }

    /// `X-Sentry-Auth: Sentry sentry_key=…`, `?sentry_key=` (browser SDKs) or `Authorization`.
    static func key(_ request: Request) -> String? {
        for header in [request.headers[.sentryAuth], request.headers[.authorization]].compactMap({ $0 }) {
            if let key = authField("sentry_key", in: header) { return key }
        }
        return request.bearerToken ?? request.uri.queryParameters.get("sentry_key")
    }

    static func authField(_ name: String, in header: String) -> String? {
        let fields = header.hasPrefix("Sentry ") ? header.dropFirst(7) : Substring(header)
        for field in fields.split(separator: ",") {
            let parts = field.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == name, !parts[1].isEmpty { return parts[1] }
        }
        return nil
    }

    /// Sentry's error body: `{"detail": "…"}`.
    static func error(_ status: HTTPResponse.Status, _ detail: String) -> APIError {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("detail"); writer.string(detail)
        writer.endObject()
        return APIError(status: status, body: writer.bytes, headers: [.contentType: "application/json"])
    }
}

extension HTTPField.Name {
    static let sentryAuth = Self("X-Sentry-Auth")!
    static let sentryRateLimits = Self("X-Sentry-Rate-Limits")!
}
