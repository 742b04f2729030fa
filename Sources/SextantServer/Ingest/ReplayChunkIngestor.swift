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
    func store(projectID: Int64, sessionID: String, seq: Int, ts: Int64?, storedBytes: [UInt8], json: some Collection<UInt8>) async throws -> IngestOutcome {
        let summary: ReplayChunkSummary
        do {
            summary = try ReplayChunkInspector.inspect(json)
        } catch let error as ReplayChunkError {
            throw APIError.badRequest(error.description)
        }
        let now = clock.nowMilliseconds()
        let hash = Secrets.sha256Hex(bytes: storedBytes)
        let start = ts ?? summary.firstTimestamp ?? now
        // The hash in the key keeps a conflicting upload from overwriting the stored chunk's file.
        let blobKey = "replays/\(projectID)/\(sessionID)/\(seq)-\(hash.prefix(16)).json.gz"
        try await blobs.put(storedBytes, key: blobKey)
        let record = ReplayChunkRecord(
            projectID: projectID, sessionID: sessionID, seq: seq, ts: start, endTs: max(start, summary.lastTimestamp ?? start),
            eventCount: summary.eventCount, byteSize: storedBytes.count, sha256: hash, blobKey: blobKey,
            fullSnapshotOffsets: summary.fullSnapshotOffsets, receivedAt: now)
        let outcome: IngestOutcome
        do {
            outcome = try await writer.submitOrRefuse(.replayChunk(record))
        } catch {
            try? await blobs.delete(key: blobKey)
            throw error
        }
        switch outcome {
        case .stored, .duplicate: return outcome
        case .conflict:
            try? await blobs.delete(key: blobKey)
            throw APIError.plain(.conflict, "chunk already exists")
        }
    }
}
