/// A file an SDK sent with an event (Sentry's `attachment` items): its bytes live in the blob
/// store, under a key unique to the upload.
public struct AttachmentRecord: Sendable, Equatable {
    public var projectID: Int64
    public var eventID: String
    public var filename: String
    public var contentType: String
    public var byteSize: Int
    public var sha256: String
    public var blobKey: String
    public var receivedAt: Int64

    public init(projectID: Int64, eventID: String, filename: String, contentType: String, byteSize: Int, sha256: String, blobKey: String, receivedAt: Int64) {
        self.projectID = projectID
        self.eventID = eventID
        self.filename = filename
        self.contentType = contentType
        self.byteSize = byteSize
        self.sha256 = sha256
        self.blobKey = blobKey
        self.receivedAt = receivedAt
    }
}

/// A stored attachment, as the read API lists it.
public struct StoredAttachment: Sendable, Equatable {
    public var id: Int64
    public var projectSlug: String
    public var record: AttachmentRecord

    package init(id: Int64, projectSlug: String, record: AttachmentRecord) {
        self.id = id
        self.projectSlug = projectSlug
        self.record = record
    }
}
