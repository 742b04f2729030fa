import Foundation
import Logging
import Testing
@testable import SextantCore

/// Issue 9, item 2: stored replays the analyzer cannot judge are skipped, logged and marked, so
/// the service goes on and the same data does not come back at every pass (or every restart).
@Suite struct PoisonedReplayTests {
    static let poisoned: [(String, String)] = [
        ("empty", "[]"),
        ("seestack", #"[{"eventType":"click","eventData":"{}","url":"/","timestampMillis":1711886400000}]"#),
        ("huge-type", #"[{"type":1e300,"timestamp":1711886400000,"data":{}}]"#),
        ("extreme-times", #"[{"type":3,"timestamp":9000000000000000000,"data":{"source":2,"type":2,"id":1,"x":1,"y":1}},{"type":3,"timestamp":-9000000000000000000,"data":{"source":2,"type":2,"id":1,"x":1,"y":1}}]"#),
        ("not-json", "{not json"),
    ]

    @Test(arguments: StoreBackend.available) func theAnalyzerSkipsWhatItCannotJudgeAndGoesOn(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            for (session, json) in Self.poisoned {
                let bytes = Array(json.utf8)
                let key = "replays/test/\(session)/1.json.gz"
                try await store.blobs.put(try GzipBody.compress(bytes), key: key)
                let chunk = ReplayChunkRecord(
                    projectID: inventory, sessionID: session, seq: 1, ts: 0, endTs: 0, eventCount: 1, byteSize: bytes.count,
                    sha256: Secrets.sha256Hex(bytes: bytes), blobKey: key, fullSnapshotOffsets: [], receivedAt: 1_000)
                _ = try await store.ingest.commit([.replayChunk(chunk, SessionHint(isFinal: true))])
            }
            let analyzer = ReplayAnalyzer(store: store, clock: WallClock { 2_000 }, quietPeriod: .seconds(0), logger: Logger(label: "t"))
            #expect(try await analyzer.analyzePending(since: 0) == Self.poisoned.count)
            // Every one was marked: nothing comes back at the next pass.
            #expect(try await analyzer.analyzePending(since: 0) == 0)
        }
    }

    @Test func aSessionSpanningExtremeStoredTimesHasNoOverflowingDuration() {
        let summary = SessionSummary(
            projectID: 1, projectSlug: "p", sessionID: "s", userID: nil, startedAt: Int64.min, lastSeen: Int64.max, eventCount: 1, errorCount: 0,
            chunkCount: 1, entryURL: nil)
        #expect(summary.durationMs == 0)
    }
}
