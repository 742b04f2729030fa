import PostgresNIO
import SextantCore

extension PostgresAnalyticsStore {
    private static let attachmentColumns = """
        a.id, p.slug, a.project_id, a.event_id, a.filename, a.content_type, a.byte_size, a.sha256, a.blob_key, a.received_at
        """

    public func attachments(eventID: String, projectSlug: String?) async throws -> [StoredAttachment] {
        var conditions = PostgresFilter()
        conditions.equal("a.event_id", eventID)
        conditions.equal("p.slug", projectSlug)
        var statement = conditions.query("SELECT \(Self.attachmentColumns) FROM attachments a JOIN projects p ON p.id = a.project_id")
        statement.append(" ORDER BY a.id LIMIT 100")
        return try await database.rows(statement.query).map(Self.storedAttachment)
    }

    public func attachment(id: Int64) async throws -> StoredAttachment? {
        var statement = PostgresQueryBuilder()
        statement.append("SELECT \(Self.attachmentColumns) FROM attachments a JOIN projects p ON p.id = a.project_id WHERE a.id = \(statement.bind(id))")
        return try await database.rows(statement.query).first.map(Self.storedAttachment)
    }

    private static func storedAttachment(_ row: PostgresRow) throws -> StoredAttachment {
        let (id, slug, projectID, eventID, filename, contentType, byteSize, sha256, blobKey, receivedAt) =
            try row.decode((Int64, String, Int64, String, String, String, Int64, String, String, Int64).self)
        return StoredAttachment(id: id, projectSlug: slug, record: AttachmentRecord(
            projectID: projectID, eventID: eventID, filename: filename, contentType: contentType, byteSize: Int(byteSize), sha256: sha256,
            blobKey: blobKey, receivedAt: receivedAt))
    }
}
