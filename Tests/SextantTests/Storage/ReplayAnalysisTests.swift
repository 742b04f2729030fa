import Foundation
import Logging
import Synchronization
import Testing
@testable import SextantCore

/// The replay analyzer on the shared real recordings, through the stores it reads.
@Suite struct ReplayAnalysisTests {
    func storeChunk(_ store: SextantStore, project: Int64, session: String, seq: Int, fixture: String, receivedAt: Int64,
                    final: Bool = false) async throws {
        let bytes = try [UInt8](Data(contentsOf: SharedRecordings.directory.appendingPathComponent(fixture)))
        let summary = try ReplayChunkInspector.inspect(bytes)
        let key = "replays/test/\(session)/\(seq).json.gz"
        try await store.blobs.put(try GzipBody.compress(bytes), key: key)
        let chunk = ReplayChunkRecord(
            projectID: project, sessionID: session, seq: seq, ts: summary.firstTimestamp ?? 0, endTs: summary.lastTimestamp ?? 0, eventCount: summary.eventCount,
            byteSize: bytes.count, sha256: Secrets.sha256Hex(bytes: bytes), blobKey: key, fullSnapshotOffsets: summary.fullSnapshotOffsets,
            receivedAt: receivedAt)
        _ = try await store.ingest.commit([.replayChunk(chunk, SessionHint(userID: "u-1", isFinal: final))])
    }

    @Test(.enabled(if: SharedRecordings.present, "../shared/fixtures/rrweb is absent: the shared recordings live beside the project"),
          arguments: StoreBackend.available)
    func quietAndFinalSessionsBecomeRageClickIssues(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let clock = Mutex<Int64>(1_000_000)
            let analyzer = ReplayAnalyzer(store: store, clock: WallClock { clock.withLock { $0 } }, quietPeriod: .seconds(60), logger: Logger(label: "t"))
            try await storeChunk(store, project: inventory, session: "ph-1", seq: 1, fixture: "posthog-nextjs-window1.json", receivedAt: 990_000)
            #expect(try await analyzer.analyzePending(since: 0) == 0)  // still active
            try await storeChunk(store, project: inventory, session: "ph-2", seq: 1, fixture: "posthog-nextjs-window2.json", receivedAt: 995_000, final: true)
            #expect(try await analyzer.analyzePending(since: 0) == 1)  // declared final: analyzed at once
            clock.withLock { $0 = 1_100_000 }
            #expect(try await analyzer.analyzePending(since: 0) == 1)
            #expect(try await analyzer.analyzePending(since: 0) == 0)  // nothing new

            // Both page loads rage on the same button of the same page: one issue, two sessions.
            let rage = try await store.issues.issues(IssueFilter(organizationID: "acme", kind: .rageClick)).items
            let issue = try #require(rage.first)
            #expect(rage.count == 1 && issue.count == 2 && issue.sessionCount == 2 && issue.userCount == 1)
            #expect(issue.sampleSessionID == "ph-2" && issue.title.hasPrefix("Rage click on ") && issue.title.hasSuffix(" at /"))
            #expect(issue.firstSeen == 1_682_952_384_676 && issue.lastSeen == 1_682_952_390_244)
        }
    }
}
