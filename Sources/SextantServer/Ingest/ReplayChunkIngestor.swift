import Hummingbird
import SextantCore

/// Stores replay chunks: bytes to the blob store first, then the index row through the batch
/// writer, so a 2xx means both are durable. Shared by every replay wire format.
struct ReplayChunkIngestor: Sendable {
    let blobs: any BlobStore
    let writer: BatchWriter
    let clock: WallClock

    /// Keeps `[A-Za-z0-9_-]`, the characters a session id may use in paths and blob keys.
    static func sanitizeSessionID(_ raw: String) -> String {
        String(raw.unicodeScalars.filter { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
            default: false
            }
        }.prefix(128).map(Character.init))
    }

    /// Validates and stores one chunk. `storedBytes` is what is kept (gzip); `json` its inflated text.
    /// Identical retries are no-ops; different bytes for a stored (session, seq) are a 409.
    func store(
        projectID: Int64, sessionID: String, seq: Int, ts: Int64?, storedBytes: [UInt8], json: some Collection<UInt8>,
        hint: SessionHint = SessionHint()
    ) async throws -> IngestOutcome {
        let summary: ReplayChunkSummary
        do {
            summary = try ReplayChunkInspector.inspect(json)
        } catch let error as ReplayChunkError {
            throw APIError.badRequest(error.description)
        }
        return try await store(projectID: projectID, sessionID: sessionID, seq: seq, ts: ts, storedBytes: storedBytes, summary: summary, hint: hint)
    }

    /// Stores a chunk whose events were already checked and summarised.
    func store(
        projectID: Int64, sessionID: String, seq: Int, ts: Int64?, storedBytes: [UInt8], summary: ReplayChunkSummary,
        hint: SessionHint = SessionHint()
    ) async throws -> IngestOutcome {
        let now = clock.nowMilliseconds()
        let hash = Secrets.sha256Hex(bytes: storedBytes)
        let start = ts ?? summary.firstTimestamp ?? now
        // Session ids from some SDKs are not path-safe, so the directory is a hash of the id; the
        // content hash keeps a conflicting upload from overwriting the stored chunk's file.
        let blobKey = "replays/\(projectID)/\(Secrets.sha256Hex(sessionID).prefix(24))/\(seq)-\(hash.prefix(16)).json.gz"
        // Refuse before writing the file when the writer would refuse the row anyway.
        try writer.admitOrRefuse()
        do {
            try await blobs.put(storedBytes, key: blobKey)
        } catch StorageError.diskFull {
            writer.noteStorageFailure(StorageError.diskFull)
            throw APIError.ingestRefusal(.diskLow)
        }
        let record = ReplayChunkRecord(
            projectID: projectID, sessionID: sessionID, seq: seq, ts: start, endTs: max(start, summary.lastTimestamp ?? start),
            eventCount: summary.eventCount, byteSize: storedBytes.count, sha256: hash, blobKey: blobKey,
            fullSnapshotOffsets: summary.fullSnapshotOffsets, receivedAt: now)
        // No delete when this fails: the key is content-derived, so an identical chunk committed
        // earlier refers to the very same file.
        let outcome = try await writer.submitOrRefuse(.replayChunk(record, hint))
        switch outcome {
        case .stored, .duplicate: return outcome
        case .conflict:
            // Different bytes, so a different key than the stored chunk's file: safe to remove.
            try? await blobs.delete(key: blobKey)
            throw APIError.plain(.conflict, "chunk already exists")
        }
    }
}
