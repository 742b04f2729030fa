import GRDB

extension SQLiteAnalyticsStore {
    private static let attachmentColumns = """
        a.id, p.slug, a.project_id, a.event_id, a.filename, a.content_type, a.byte_size, a.sha256, a.blob_key, a.received_at
        """

    public func attachments(eventID: String, projectSlug: String?) async throws -> [StoredAttachment] {
        var conditions = SQLConditions()
        conditions.add("a.event_id = ?", eventID)
        conditions.add("p.slug = ?", projectSlug)
        let sql = "SELECT \(Self.attachmentColumns) FROM attachments a JOIN projects p ON p.id = a.project_id \(conditions.whereClause) ORDER BY a.id LIMIT 100"
        let arguments = conditions.arguments
        return try await database.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.storedAttachment) }
    }

    public func attachment(id: Int64) async throws -> StoredAttachment? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.attachmentColumns) FROM attachments a JOIN projects p ON p.id = a.project_id WHERE a.id = ?",
                             arguments: [id]).map(Self.storedAttachment)
        }
    }

    private static func storedAttachment(_ row: Row) -> StoredAttachment {
        StoredAttachment(id: row[0], projectSlug: row[1], record: AttachmentRecord(
            projectID: row[2], eventID: row[3], filename: row[4], contentType: row[5], byteSize: row[6], sha256: row[7], blobKey: row[8],
            receivedAt: row[9]))
    }
}
