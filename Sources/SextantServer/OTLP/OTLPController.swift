import HTTPTypes
import Hummingbird
import NIOCore
import SextantCore

/// OTLP/HTTP ingest: `POST /v1/traces`, `/v1/metrics` and, shared with LuminaLog, `/v1/logs`,
/// in protobuf or JSON, so an OpenTelemetry SDK needs only `OTEL_EXPORTER_OTLP_ENDPOINT` and a
/// project key in `OTEL_EXPORTER_OTLP_HEADERS`. Every answer, refusals included, is encoded like
/// the request.
struct OTLPController {
    let authenticator: IngestAuthenticator
    let bodyReader: RequestBodyReader
    let writer: BatchWriter
    let admission: IngestAdmission
    let metrics: ServerMetrics
    let clock: WallClock

    func register(in router: Router<AppRequestContext>) {
        router.post("/v1/traces") { request, _ in try await traces(request) }
        router.post("/v1/metrics") { request, _ in try await self.metrics(request) }
        for path in ["/v1/traces", "/v1/metrics"] {
            router.on(RouterPath(path), method: .options) { request, _ in try await CORS.preflight(request, authenticator: authenticator) }
        }
    }

    func traces(_ request: Request) async throws -> Response {
        try await ingest(request, body: nil, signal: .traces) { bytes, encoding, now, projectID in
            let export = try OTLPTracesExport.decode(bytes, encoding: encoding, now: now)
            var items: [IngestItem] = []
            if !export.spans.isEmpty { items.append(.spans(SpanBatch(projectID: projectID, receivedAt: now, spans: export.spans))) }
            if !export.errors.isEmpty { items.append(.events(EventBatch(projectID: projectID, receivedAt: now, events: export.errors))) }
            return (items, export.spans.count, export.rejected)
        }
    }

    func metrics(_ request: Request) async throws -> Response {
        try await ingest(request, body: nil, signal: .metrics) { bytes, encoding, now, projectID in
            let export = try OTLPMetricsExport.decode(bytes, encoding: encoding, now: now)
            let items: [IngestItem] = export.points.isEmpty ? [] : [.metrics(MetricBatch(projectID: projectID, receivedAt: now, points: export.points))]
            return (items, export.points.count, export.rejected)
        }
    }

    /// `body` is given when the LuminaLog route already read it to tell the two apart.
    func logs(_ request: Request, body: ByteBuffer?) async throws -> Response {
        try await ingest(request, body: body, signal: .logs) { bytes, encoding, now, projectID in
            let export = try OTLPLogsExport.decode(bytes, encoding: encoding, now: now)
            let items: [IngestItem] = export.records.isEmpty ? [] : [.logs(LogBatch(projectID: projectID, receivedAt: now, records: export.records))]
            return (items, export.records.count, export.rejected)
        }
    }

    private typealias Decoded = (items: [IngestItem], count: Int, rejected: OTLPRejections)

    private func ingest(
        _ request: Request, body: ByteBuffer?, signal: OTLPSignal,
        decode: ([UInt8], OTLPEncoding, Int64, Int64) throws -> Decoded
    ) async throws -> Response {
        let declared = OTLPEncoding(contentType: request.headers[.contentType])
        let encoding = declared ?? .json
        do {
            guard declared != nil || body != nil else {
                throw APIError.plain(.unsupportedMediaType, "send application/x-protobuf or application/json")
            }
            let credential = try await authenticator.authenticate(
                key: Self.key(request), app: nil,
                unauthorized: APIError.plain(.unauthorized, "missing or unknown project key: send Authorization: Bearer KEY or x-sextant-key"))
            let corsHeaders = try CORS.check(request, credential: credential, forbidden: APIError.plain(.forbidden, "origin not allowed"))
            var response = try await admission.admit(credential.project, refusal: APIError.plain(.tooManyRequests, "rate limited")) {
                let bytes: ByteBuffer
                if let body { bytes = body } else { bytes = try await bodyReader.json(request) }
                let now = clock.nowMilliseconds()
                let decoded: Decoded
                do {
                    decoded = try decode(Array(buffer: bytes), encoding, now, credential.project.id)
                } catch let error as OTLPDecodingError {
                    throw APIError.badRequest(error.description)
                }
                if let item = IngestItem.combined(decoded.items) { try await writer.submitOrRefuse(item) }
                metrics.ingested(route: "/v1/\(signal.rawValue)", project: credential.project.slug, items: decoded.count, bytes: bytes.readableBytes)
                return Response(
                    status: .ok, headers: [.contentType: encoding.contentType],
                    body: .init(byteBuffer: ByteBuffer(bytes: OTLPResponse.export(signal, rejected: decoded.rejected, encoding: encoding))))
            }
            response.headers.append(contentsOf: corsHeaders)
            return response
        } catch var error as APIError {
            // Every refusal carries a google.rpc.Status in the request's encoding, keeping its headers (Retry-After).
            let message = (try? JSONValue.parse(error.body)).flatMap { $0["error"]?.stringValue ?? $0["message"]?.stringValue } ?? "refused"
            error.body = OTLPResponse.status(httpStatus: Int(error.status.code), message: message, encoding: encoding)
            error.headers[.contentType] = encoding.contentType
            throw error
        }
    }

    /// What `OTEL_EXPORTER_OTLP_HEADERS` can set: a bearer token, `x-api-key` or `x-sextant-key`.
    static func key(_ request: Request) -> String? {
        request.bearerToken ?? request.headers[.apiKey] ?? request.headers[.sextantKey]
    }
}

extension HTTPField.Name {
    static let sextantKey = Self("X-Sextant-Key")!
}
