import Hummingbird
import SextantCore

/// Files sent with events (Sentry attachments): listed per event, downloaded one at a time, never
/// rendered: a sent HTML file must not run as the dashboard's origin.
struct AttachmentReadController {
    let analytics: any AnalyticsStore
    let blobs: any BlobStore

    func register(in reads: RouterGroup<AppRequestContext>) {
        reads.get("/attachments", use: list)
        reads.get("/attachments/:id", use: download)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        guard let eventID = query.string("event_id") else { throw APIError.badRequest("event_id is required") }
        let found = try await analytics.attachments(eventID: eventID, projectSlug: query.string("app"))
        return .jsonObject { writer in
            writer.key("attachments")
            writer.beginArray()
            for attachment in found {
                writer.beginObject()
                writer.key("id"); writer.integer(attachment.id)
                writer.key("app"); writer.string(attachment.projectSlug)
                writer.key("event_id"); writer.string(attachment.record.eventID)
                writer.key("filename"); writer.string(attachment.record.filename)
                writer.key("content_type"); writer.string(attachment.record.contentType)
                writer.key("byte_size"); writer.integer(attachment.record.byteSize)
                writer.key("sha256"); writer.string(attachment.record.sha256)
                writer.key("received_at"); writer.integer(attachment.record.receivedAt)
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = Int64(try context.parameters.decoded("id")), let attachment = try await analytics.attachment(id: id),
              let bytes = try await blobs.get(key: attachment.record.blobKey)
        else { throw APIError.notFound("No such attachment") }
        let name = attachment.record.filename.filter { $0.isLetter || $0.isNumber || ".-_ ".contains($0) }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/octet-stream", .contentDisposition: "attachment; filename=\"\(name.isEmpty ? "attachment" : name)\"",
                .xContentTypeOptions: "nosniff", .contentSecurityPolicy: "default-src 'none'; sandbox",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
