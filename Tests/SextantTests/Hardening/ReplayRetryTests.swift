import Foundation
import Logging
import Metrics
import Synchronization
import Testing
@testable import SextantCore
@testable import SextantServer

/// An ingest store that refuses commits on demand, as an overloaded writer does.
final class RefusingIngestStore: IngestStore {
    let inner: any IngestStore
    let refuse = Mutex(false)

    init(_ inner: any IngestStore) {
        self.inner = inner
    }

    func commit(_ items: [IngestItem]) async throws -> [IngestOutcome] {
        if refuse.withLock({ $0 }) { throw BatchWriterError.overloaded }
        return try await inner.commit(items)
    }
}

/// Issue 9, item 8: an identical replay retry that gets 503 must not delete the stored chunk's
/// file (its key is content-derived, so it is the very same file).
@Suite struct ReplayRetryTests {
    @Test(arguments: StoreBackend.available) func aRefusedIdenticalRetryLeavesTheCommittedChunkWhole(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let ingest = RefusingIngestStore(store.ingest)
            let writer = BatchWriter(store: ingest, settings: .init(), logger: Logger(label: "t"), metrics: NOOPMetricsHandler.instance)
            let replay = ReplayChunkIngestor(blobs: store.blobs, writer: writer, clock: WallClock { 1_000 })
            let bytes = Fixture.rrwebChunk(start: Fixture.baseTs)
            let gzip = try GzipBody.compress(bytes)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await writer.run() }
                let first = try await replay.store(projectID: inventory, sessionID: "s1", seq: 1, ts: nil, storedBytes: gzip, json: bytes)
                #expect(first == .stored)
                ingest.refuse.withLock { $0 = true }
                let refusal = await #expect(throws: APIError.self) {
                    try await replay.store(projectID: inventory, sessionID: "s1", seq: 1, ts: nil, storedBytes: gzip, json: bytes)
                }
                #expect(refusal?.status == .serviceUnavailable && refusal?.headers[.retryAfter] != nil)
                group.cancelAll()
            }
            let chunk = try #require(try await store.analytics.replayChunk(projectID: inventory, sessionID: "s1", seq: 1))
            let stored = try #require(try await store.blobs.get(key: chunk.blobKey), "the committed chunk's file was deleted")
            #expect(stored == gzip)
        }
    }
}
