/// Deletes data older than a cutoff, a small batch at a time so ingest is never blocked for long.
public protocol RetentionStore: Sendable {
    /// Deletes up to `limit` rows of `kind` received before `cutoff` (ms) in one project.
    /// Returns how many rows went, and the blob keys the caller must delete (replay chunks).
    func purge(_ kind: RetentionKind, projectID: Int64, receivedBefore cutoff: Int64, limit: Int) async throws -> PurgeResult
    /// Deletes what only serves bookkeeping once it is spent: delivered or abandoned alerts after a
    /// week, hourly occurrence counts past the 7-day baseline, expired OAuth codes and tokens.
    func purgeSpent(now: Int64) async throws -> Int
}

public struct PurgeResult: Sendable, Equatable {
    public var deletedRows: Int
    public var blobKeys: [String]

    public init(deletedRows: Int, blobKeys: [String] = []) {
        self.deletedRows = deletedRows
        self.blobKeys = blobKeys
    }
}
