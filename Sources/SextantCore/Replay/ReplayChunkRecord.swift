/// The index row of one stored replay chunk; the bytes live in the blob store under `blobKey`.
public struct ReplayChunkRecord: Sendable, Equatable {
    public var projectID: Int64
    public var sessionID: String
    public var seq: Int
    /// First and last event timestamps (ms).
    public var ts: Int64
    public var endTs: Int64
    public var eventCount: Int
    public var byteSize: Int
    public var sha256: String
    public var blobKey: String
    /// Indexes of full snapshots (rrweb type 2) in the chunk's event array, so players seek without scanning.
    public var fullSnapshotOffsets: [Int]
    public var receivedAt: Int64

    public init(
        projectID: Int64, sessionID: String, seq: Int, ts: Int64, endTs: Int64, eventCount: Int, byteSize: Int,
        sha256: String, blobKey: String, fullSnapshotOffsets: [Int], receivedAt: Int64
    ) {
        self.projectID = projectID
        self.sessionID = sessionID
        self.seq = seq
        self.ts = ts
        self.endTs = endTs
        self.eventCount = eventCount
        self.byteSize = byteSize
        self.sha256 = sha256
        self.blobKey = blobKey
        self.fullSnapshotOffsets = fullSnapshotOffsets
        self.receivedAt = receivedAt
    }
}
