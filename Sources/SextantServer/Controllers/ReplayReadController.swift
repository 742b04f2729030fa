import Hummingbird
import SextantCore

/// Replay manifests, chunk bytes and incident slices (API.md §4).
struct ReplayReadController {
    let analytics: any AnalyticsStore
    let blobs: any BlobStore

    /// The incident window around an error: a minute before, ten seconds after, both inclusive.
    static let incidentLookbackMs: Int64 = 60_000
    static let incidentLookaheadMs: Int64 = 10_000

    func register(in router: RouterGroup<AppRequestContext>) {
        router.get("/sessions/:id/replay", use: manifest)
        router.get("/sessions/:id/replay/:seq", use: chunk)
        router.get("/incidents/:eventID", use: incident)
    }

    private func session(_ request: Request, _ context: AppRequestContext) async throws -> SessionSummary {
        let id = try context.parameters.decoded("id")
        guard let session = try await analytics.session(id: id, projectSlug: QueryParameters(request).string("app")) else {
            throw APIError.notFound("session not found")
        }
        return session
    }

    static func chunkPath(session: String, seq: Int) -> String {
        "/v1/sessions/\(session.pathSegmentEncoded)/replay/\(seq)"
    }

    static func write(_ chunk: ReplayChunkRecord, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("seq"); writer.integer(chunk.seq)
        writer.key("ts"); writer.integer(chunk.ts)
        writer.key("end_ts"); writer.integer(chunk.endTs)
        writer.key("events"); writer.integer(chunk.eventCount)
        writer.key("bytes"); writer.integer(chunk.byteSize)
        writer.key("full_snapshots")
        writer.beginArray()
        for offset in chunk.fullSnapshotOffsets { writer.integer(offset) }
        writer.endArray()
        writer.key("path"); writer.string(chunkPath(session: chunk.sessionID, seq: chunk.seq))
        writer.endObject()
    }

    @Sendable func manifest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try await session(request, context)
        let chunks = try await analytics.replayChunks(projectID: session.projectID, sessionID: session.sessionID)
        return .jsonObject { writer in
            writer.key("session_id"); writer.string(session.sessionID)
            writer.key("app"); writer.string(session.projectSlug)
            writer.key("chunks")
            writer.beginArray()
            for chunk in chunks { Self.write(chunk, into: &writer) }
            writer.endArray()
        }
    }

    @Sendable func chunk(_ request: Request, context: AppRequestContext) async throws -> Response {
        let session = try await session(request, context)
        guard let seq = Int(try context.parameters.require("seq")) else { throw APIError.badRequest("seq must be an integer") }
        guard let record = try await analytics.replayChunk(projectID: session.projectID, sessionID: session.sessionID, seq: seq),
              let bytes = try await blobs.get(key: record.blobKey)
        else { throw APIError.notFound("chunk not found") }
        return Response(
            status: .ok, headers: [.contentType: "application/gzip", .cacheControl: "private, max-age=31536000, immutable"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    @Sendable func incident(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = Int64(try context.parameters.require("eventID")) else { throw APIError.badRequest("event id must be an integer") }
        guard let incident = try await analytics.event(id: id) else { throw APIError.notFound("event not found") }
        guard incident.event.type.isIncident else { throw APIError.badRequest("event \(id) is not an error or bug report") }
        let ts = incident.event.ts
        let from = ts - Self.incidentLookbackMs
        let to = ts + Self.incidentLookaheadMs
        var breadcrumbs = [incident]
        var chunks: [ReplayChunkRecord] = []
        if let sessionID = incident.event.sessionID, let session = try await analytics.session(id: sessionID, projectSlug: incident.projectSlug) {
            breadcrumbs = try await analytics.sessionEvents(projectID: session.projectID, sessionID: sessionID, from: from, to: to)
            chunks = try await analytics.replayChunks(projectID: session.projectID, sessionID: sessionID)
                .filter { $0.ts <= to && $0.endTs >= from }
        }
        return .jsonObject { writer in
            writer.key("event"); EventJSON.write(incident, into: &writer)
            writer.key("breadcrumbs")
            writer.beginArray()
            for event in breadcrumbs { EventJSON.write(event, into: &writer) }
            writer.endArray()
            writer.key("incident_ts"); writer.integer(ts)
            writer.key("session_id"); writer.string(incident.event.sessionID)
            writer.key("window"); writer.beginObject()
            writer.key("from"); writer.integer(from)
            writer.key("to"); writer.integer(to)
            writer.endObject()
            writer.key("replay_cue"); writer.beginObject()
            writer.key("chunks"); writer.beginArray()
            for chunk in chunks { Self.write(chunk, into: &writer) }
            writer.endArray()
            writer.endObject()
        }
    }
}
