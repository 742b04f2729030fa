import Testing
@testable import SextantCore

/// The storage contract: what any backend must do with ingested rows, checked through the protocols only.
@Suite struct IngestAndQueryContractTests {
    let base = Fixture.baseTs
    let day = Fixture.day

    func events(_ store: SextantStore, _ projectID: Int64, _ events: [IngestEvent]) async throws {
        let outcomes = try await store.ingest.commit([.events(EventBatch(projectID: projectID, receivedAt: 0, events: events))])
        #expect(outcomes == [.stored])
    }

    @Test(arguments: StoreBackend.available)
    func maintainsSessionsAndUsersIncrementally(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            try await events(store, inventory, [
                IngestEvent(ts: base + 2000, type: .event, name: "b", userID: "alice", sessionID: "s-a"),
                IngestEvent(ts: base + 1000, type: .pageview, name: "/home", userID: "alice", sessionID: "s-a", url: "https://x/home"),
            ])
            // A later commit, arriving out of order, with an earlier entry page and a second session.
            try await events(store, inventory, [
                IngestEvent(ts: base + 500, type: .pageview, name: "/landing", sessionID: "s-a", url: "https://x/landing"),
                IngestEvent(ts: base + 9000, type: .error, name: "boom", userID: "alice", sessionID: "s-b"),
                IngestEvent(ts: base + 9500, type: .event, name: "anon", sessionID: "s-anon"),
            ])
            let sessions = try await store.analytics.sessions(ListFilter(projectSlug: "inventory"))
            #expect(sessions.map(\.sessionID) == ["s-anon", "s-b", "s-a"])
            let a = try #require(sessions.last)
            #expect(a.startedAt == base + 500 && a.lastSeen == base + 2000 && a.eventCount == 3 && a.durationMs == 1500)
            #expect(a.entryURL == "https://x/landing" && a.userID == "alice")
            #expect(sessions[1].errorCount == 1)
            let users = try await store.analytics.users(ListFilter(projectSlug: "inventory"))
            let alice = try #require(users.first { $0.userID == "alice" })
            #expect(alice.sessionCount == 2 && alice.lastSeen == base + 9000 && alice.firstSeen == base + 1000)
            // Anonymous events count under their session id; a repeated session is not counted twice.
            try await events(store, inventory, [IngestEvent(ts: base + 9600, type: .event, name: "again", userID: "alice", sessionID: "s-b")])
            let again = try await store.analytics.users(ListFilter(projectSlug: "inventory"))
            #expect(again.first { $0.userID == "alice" }?.sessionCount == 2)
            #expect(again.contains { $0.userID == "s-anon" && $0.sessionCount == 1 })
            // A time range keeps who was active within it: s-a ran from +500 to +2000, s-b from +9000.
            let early = try await store.analytics.sessions(ListFilter(projectSlug: "inventory", from: base + 1500, to: base + 3000))
            #expect(early.map(\.sessionID) == ["s-a"])
            let late = try await store.analytics.users(ListFilter(projectSlug: "inventory", from: base + 9550))
            #expect(Set(late.map(\.userID)) == ["alice"])
            #expect(try await store.analytics.users(ListFilter(projectSlug: "inventory", to: base + 499)).isEmpty)  // s-a, anonymous, came at +500
        }
    }

    @Test(arguments: StoreBackend.available)
    func filtersSessionsByReplayErrorsDurationAndVisitedURL(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            try await events(store, inventory, [
                IngestEvent(ts: base, type: .pageview, name: "/", sessionID: "short", url: "https://x/"),
                IngestEvent(ts: base, type: .pageview, name: "/", sessionID: "long", url: "https://x/"),
                IngestEvent(ts: base + 90_000, type: .pageview, name: "/checkout", sessionID: "long", url: "https://x/Checkout?step=2"),
                IngestEvent(ts: base + 1000, type: .error, name: "boom", sessionID: "broken"),
            ])
            let chunk = ReplayChunkRecord(projectID: inventory, sessionID: "long", seq: 0, ts: base, endTs: base + 1000, eventCount: 3,
                                          byteSize: 10, sha256: "h", blobKey: "k", fullSnapshotOffsets: [], receivedAt: 0)
            _ = try await store.ingest.commit([.replayChunk(chunk)])
            func sessions(_ conditions: SessionConditions) async throws -> Set<String> {
                var filter = ListFilter(projectSlug: "inventory")
                filter.session = conditions
                return Set(try await store.analytics.sessions(filter).map(\.sessionID))
            }
            #expect(try await sessions(SessionConditions()) == ["short", "long", "broken"])
            #expect(try await sessions(SessionConditions(hasReplay: true)) == ["long"])
            #expect(try await sessions(SessionConditions(hasReplay: false)) == ["short", "broken"])
            #expect(try await sessions(SessionConditions(hasErrors: true)) == ["broken"])
            #expect(try await sessions(SessionConditions(hasErrors: false, minDurationMs: 60_000)) == ["long"])
            #expect(try await sessions(SessionConditions(urlContains: "checkout")) == ["long"])
            #expect(try await sessions(SessionConditions(hasReplay: true, urlContains: "/cart")).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aSessionKeepsTheDeviceItsBrowserFirstReported(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
            let desktop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
            func send(_ session: String, agent: String?) async throws {
                var batch = EventBatch(projectID: inventory, receivedAt: 0, events: [IngestEvent(ts: base, type: .event, name: "e", sessionID: session)])
                batch.userAgent = agent
                #expect(try await store.ingest.commit([.events(batch)]) == [.stored])
            }
            try await send("server", agent: "python-requests/2.32")
            try await send("phone", agent: phone)
            try await send("phone", agent: desktop)  // the first browser stays
            try await send("desk", agent: desktop)
            let sessions = Dictionary(uniqueKeysWithValues: try await store.analytics.sessions(ListFilter(projectSlug: "inventory")).map { ($0.sessionID, $0) })
            #expect(sessions["phone"]?.device == DeviceInfo(browser: "Safari", os: "iOS", device: .mobile))
            #expect(sessions["desk"]?.device?.browser == "Firefox" && sessions["server"]?.device == nil)
            var filter = ListFilter(projectSlug: "inventory")
            filter.session = SessionConditions(device: .mobile)
            #expect(try await store.analytics.sessions(filter).map(\.sessionID) == ["phone"])
            filter.session = SessionConditions(browser: "firefox")
            #expect(try await store.analytics.sessions(filter).map(\.sessionID) == ["desk"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func findsEventsByPartOfTheirNameAndByAProperty(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            try await events(store, inventory, [
                IngestEvent(ts: base, type: .event, name: "Checkout_Started", userID: "u", propsJSON: #"{"plan":"pro","items":3}"#),
                IngestEvent(ts: base + 1, type: .event, name: "checkout_done", userID: "u", propsJSON: #"{"plan":"free","items":3}"#),
                IngestEvent(ts: base + 2, type: .event, name: "search", userID: "u", propsJSON: #"{"plan.pro":"x"}"#),
            ])
            func names(_ configure: (inout EventFilter) -> Void) async throws -> [String] {
                var filter = EventFilter()
                configure(&filter)
                return try await store.analytics.events(filter).map(\.event.name)
            }
            #expect(try await names { $0.nameContains = "CHECKOUT" } == ["checkout_done", "Checkout_Started"])
            #expect(try await names { $0.property = PropertyCondition(key: "plan", value: "pro") } == ["Checkout_Started"])
            #expect(try await names { $0.property = PropertyCondition(key: "items", value: "3") } == ["checkout_done", "Checkout_Started"])
            #expect(PropertyCondition(key: "plan.pro", value: "x") == nil && PropertyCondition(key: "a'b", value: "x") == nil, "keys are names, not paths")
            #expect(PropertyCondition(parsing: "plan=pro=max")?.value == "pro=max" && PropertyCondition(parsing: "plan") == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func filtersAndOrdersEvents(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, billing in
            try await events(store, inventory, (0..<30).map {
                IngestEvent(ts: base + Int64($0 % 10) * 1000, type: $0 % 3 == 0 ? .error : .event, name: "e\($0)", userID: "u", sessionID: "s", propsJSON: #"{"i":\#($0)}"#)
            })
            try await events(store, billing, [IngestEvent(ts: base, type: .event, name: "other", userID: "u")])
            var filter = EventFilter()
            filter.time.projectSlug = "inventory"
            filter.limit = 500
            let all = try await store.analytics.events(filter)
            #expect(all.count == 30)
            #expect(zip(all, all.dropFirst()).allSatisfy { ($0.event.ts, $0.id) > ($1.event.ts, $1.id) })
            filter.type = .error
            #expect(try await store.analytics.events(filter).count == 10)
            filter.type = nil
            filter.time.from = base + 2000
            filter.time.to = base + 3000
            #expect(try await store.analytics.events(filter).count == 6)  // from and to are inclusive
            var byName = EventFilter()
            byName.name = "e7"
            let e7 = try #require(try await store.analytics.events(byName).first)
            #expect(e7.event.propsJSON == #"{"i":7}"#)
            #expect(try await store.analytics.event(id: e7.id) == e7)
            // Session filters work from the session's time span (there is no session index).
            var bySession = EventFilter()
            bySession.sessionID = "s"
            bySession.limit = 500
            #expect(try await store.analytics.events(bySession).count == 30)
            bySession.time.from = base + 9000
            #expect(try await store.analytics.events(bySession).count == 3)
            bySession.sessionID = "never"
            #expect(try await store.analytics.events(bySession).isEmpty)
            var everywhere = EventFilter()
            everywhere.userID = "u"
            everywhere.limit = 500
            #expect(try await store.analytics.events(everywhere).count == 31)
        }
    }

    @Test(arguments: StoreBackend.available)
    func funnelEventsComeGroupedAndTimeOrderedWhateverTheArrivalOrder(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, billing in
            try await events(store, inventory, [
                IngestEvent(ts: base + 30, type: .event, name: "checkout", userID: "u5"),
                IngestEvent(ts: base + 10, type: .event, name: "view", userID: "u5"),
                IngestEvent(ts: base + 20, type: .event, name: "cart", userID: "u5"),
                IngestEvent(ts: base + 1, type: .event, name: "view", sessionID: "anon"),
                IngestEvent(ts: base + 2, type: .event, name: "cart", sessionID: "anon"),
                IngestEvent(ts: base + 3, type: .event, name: "ignored", sessionID: "anon"),
                IngestEvent(ts: base + 4, type: .event, name: "view"),  // no identity: left out
            ])
            // The same user id in another project is another walker.
            try await events(store, billing, [IngestEvent(ts: base, type: .event, name: "view", userID: "u5")])
            let steps = ["view", "cart", "checkout"]
            #expect(try await store.analytics.funnel(steps: steps, filter: TimeFilter(), windowMs: nil) == [3, 2, 1])
            let inventoryOnly = TimeFilter(projectSlug: "inventory", to: base + 20)
            #expect(try await store.analytics.funnel(steps: steps, filter: inventoryOnly, windowMs: nil) == [2, 2, 0])
        }
    }

    @Test(arguments: StoreBackend.available)
    func aggregatesSplitDaysAtUTCMidnight(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            try await events(store, inventory, [
                IngestEvent(ts: base + 1000, type: .event, name: "view", userID: "a"),
                IngestEvent(ts: base + 2000, type: .event, name: "view", userID: "b"),
                IngestEvent(ts: base + 3000, type: .event, name: "signup", userID: "a"),
                IngestEvent(ts: base + day - 1, type: .pageview, name: "/home", userID: "a", url: "https://s/home"),
                IngestEvent(ts: base + day, type: .pageview, name: "/home", userID: "c", url: "https://s/home?x=1"),
                IngestEvent(ts: base + day + 5, type: .pageview, name: "/cart", sessionID: "anon", url: "https://s/cart"),
                IngestEvent(ts: base + day + 6, type: .error, name: "boom", userID: "c"),
                IngestEvent(ts: base + day + 7, type: .error, name: "boom"),
            ])
            let all = try await store.analytics.aggregates(filter: TimeFilter(), limit: 10)
            #expect(all.dau == [.init(day: "2026-06-14", count: 2), .init(day: "2026-06-15", count: 2)])
            #expect(all.topEvents == [.init(name: "view", count: 2), .init(name: "signup", count: 1)])
            #expect(all.topPages == [.init(name: "/home", count: 2), .init(name: "/cart", count: 1)])
            #expect(all.errorsByDay == [.init(day: "2026-06-15", count: 2)])
            let firstDay = try await store.analytics.aggregates(filter: TimeFilter(to: base + day - 1), limit: 1)
            #expect(firstDay.topEvents == [.init(name: "view", count: 2)])
            #expect(firstDay.dau == [.init(day: "2026-06-14", count: 2)] && firstDay.errorsByDay.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func replayChunksAreIdempotentAndConflictsAreRefused(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            func chunk(_ seq: Int, hash: String, ts: Int64) -> ReplayChunkRecord {
                ReplayChunkRecord(projectID: inventory, sessionID: "rs", seq: seq, ts: ts, endTs: ts + 400, eventCount: 5, byteSize: 100,
                                  sha256: hash, blobKey: "k\(seq)\(hash)", fullSnapshotOffsets: [0, 3], receivedAt: 0)
            }
            let outcomes = try await store.ingest.commit([
                .replayChunk(chunk(1, hash: "aa", ts: base)), .replayChunk(chunk(2, hash: "bb", ts: base + 5000)),
                .replayChunk(chunk(2, hash: "bb", ts: base + 5000)), .replayChunk(chunk(1, hash: "cc", ts: base)),
            ])
            #expect(outcomes == [.stored, .stored, .duplicate, .conflict])
            let chunks = try await store.analytics.replayChunks(projectID: inventory, sessionID: "rs")
            #expect(chunks.map(\.seq) == [1, 2] && chunks[0].fullSnapshotOffsets == [0, 3] && chunks[0].sha256 == "aa")
            let session = try #require(try await store.analytics.session(id: "rs", projectSlug: nil))
            #expect(session.chunkCount == 2 && session.eventCount == 0 && session.startedAt == base && session.lastSeen == base + 5400)
            #expect(try await store.analytics.replayChunk(projectID: inventory, sessionID: "rs", seq: 9) == nil)
        }
    }
}

@Suite struct SQLiteCheckpointerTests {
    @Test func checkpointsWhileTheStoreIsInUse() async throws {
        let directory = try TemporaryDirectory()
        let store = try await StoreBackend.makeSQLiteStore(directory: directory.path)
        try await store.tenancy.applyConfiguration([OrganizationConfig(id: "o", projects: [ProjectConfig(slug: "p", keys: ["k"])])], now: 0)
        let checkpointer = try #require(store.services.first as? SQLiteCheckpointer)
        let projectID = try #require(try await store.tenancy.project(slug: "p")).id
        _ = try await store.ingest.commit([.events(EventBatch(projectID: projectID, receivedAt: 0, events: [IngestEvent(ts: 1, type: .event, name: "x")]))])
        try checkpointer.checkpoint()
        var filter = EventFilter()
        filter.name = "x"
        #expect(try await store.analytics.events(filter).count == 1)
    }
}
