import Logging
import Testing
@testable import SextantCore

@Suite struct RetentionTests {
    let day = Fixture.day
    let now: Int64 = 1_800_000_000_000

    @Test(arguments: StoreBackend.available)
    func removesWhatIsOlderThanEachKindsRetention(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            var retention = RetentionDays()
            retention.events = 30
            try await store.tenancy.applyConfiguration([
                OrganizationConfig(id: "acme", projects: [ProjectConfig(slug: "inventory", keys: ["k-inv"], retention: retention)]),
            ], now: 1)
            let old = now - 40 * day
            let recent = now - day
            func log(_ message: String) -> LogRecord {
                var record = LogRecord(ts: 0, level: .error, message: message, source: "luminalog")
                record.errorJSON = #"{"type":"OldError","message":"gone"}"#
                record.errorText = "OldError\ngone"
                return record
            }
            var oldRequest = HTTPRequestRecord(ts: 0, direction: .inbound, method: "GET", host: "h", path: "/a", statusCode: 200, durationMs: 1)
            oldRequest.traceID = "t"
            try await store.blobs.put([1, 2, 3], key: "replays/old.gz")
            try await store.blobs.put([4, 5, 6], key: "replays/new.gz")
            func chunk(_ seq: Int, receivedAt: Int64, key: String) -> IngestItem {
                .replayChunk(ReplayChunkRecord(projectID: inventory, sessionID: "s", seq: seq, ts: 1, endTs: 2, eventCount: 1, byteSize: 3,
                                               sha256: "h\(seq)", blobKey: key, fullSnapshotOffsets: [], receivedAt: receivedAt))
            }
            _ = try await store.ingest.commit([
                .events(EventBatch(projectID: inventory, receivedAt: old, events: [IngestEvent(ts: 1, type: .event, name: "old")])),
                .events(EventBatch(projectID: inventory, receivedAt: recent, events: [IngestEvent(ts: 2, type: .event, name: "recent")])),
                .logs(LogBatch(projectID: inventory, receivedAt: old, records: [log("old log")])),
                .logs(LogBatch(projectID: inventory, receivedAt: recent, records: [log("recent log")])),
                .httpRequests(HTTPRequestBatch(projectID: inventory, receivedAt: old, requests: [oldRequest])),
                chunk(1, receivedAt: old, key: "replays/old.gz"), chunk(2, receivedAt: recent, key: "replays/new.gz"),
            ])
            let service = RetentionService(store: store, clock: WallClock { now }, batchSize: 1, logger: Logger(label: "test"))
            #expect(try await service.purgeExpired() == 4)

            var events = EventFilter()
            events.limit = 10
            #expect(try await store.analytics.events(events).map(\.event.name) == ["recent"])
            // The event index loses the purged event and keeps the other of the same day.
            #expect(try await store.analytics.aggregates(filter: TimeFilter(), limit: 10).topEvents == [Aggregates.NameCount(name: "recent", count: 1)])
            var search = LogFilter()
            search.words = ["gone"]
            #expect(try await store.logs.logs(search).map(\.record.message) == ["recent log"])
            #expect(try await store.telemetry.endpoints(EndpointFilter()).isEmpty)
            #expect(try await store.analytics.replayChunks(projectID: inventory, sessionID: "s").map(\.seq) == [2])
            #expect(try await store.analytics.session(id: "s", projectSlug: nil)?.chunkCount == 1)
            #expect(try await store.blobs.get(key: "replays/old.gz") == nil)
            #expect(try await store.blobs.get(key: "replays/new.gz") == [4, 5, 6])
            #expect(try await service.purgeExpired() == 0)
        }
    }

    @Test(arguments: StoreBackend.available)
    func spentBookkeepingGoesButLiveTokensStay(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let grant = RefreshGrant(familyID: "f", clientID: "c", organizationID: "acme", scopes: [.readLucent])
            try await store.oauth.issueTokens(TokenIssue(accessToken: "luc_oat_old", accessExpiresAt: now - 2 * day, refreshToken: "r_old",
                                                         refreshExpiresAt: now - 2 * day, grant: grant), now: now - 3 * day)
            try await store.oauth.issueTokens(TokenIssue(accessToken: "luc_oat_live", accessExpiresAt: now + day, refreshToken: nil,
                                                         refreshExpiresAt: now + day, grant: grant), now: now)
            let error = IngestEvent(ts: 1, type: .error, name: "E", propsJSON: #"{"message":"m"}"#)
            _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: now - 9 * day, events: [error]))])
            #expect(try await store.retention.purgeSpent(now: now) == 3)  // access token, refresh token, old hourly count
            #expect(try await store.tenancy.resolveAPIToken("luc_oat_live", now: now) != nil)
            #expect(try await store.issues.issues(IssueFilter(organizationID: "acme")).items.count == 1)
        }
    }
}
