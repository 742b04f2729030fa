import Testing
@testable import SextantCore

/// The storage contract for properties clients set on users (PostHog's `$set` / `$set_once`).
@Suite struct UserPropertyContractTests {
    let base = Fixture.baseTs

    func commit(_ store: SextantStore, _ projectID: Int64, _ updates: [UserPropertyUpdate]) async throws {
        #expect(try await store.ingest.commit([.userProperties(UserPropertyBatch(projectID: projectID, updates: updates))]) == [.stored])
    }

    @Test(arguments: StoreBackend.available)
    func setOverwritesAndSetOnceOnlyFillsAcrossCommits(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, billing in
            try await commit(store, inventory, [
                UserPropertyUpdate(userID: "ada", ts: base, set: ["plan": .string("free")], setOnce: ["first_seen_on": .string("ios")]),
                // Within one commit too: the later set wins, the earlier set_once stays.
                UserPropertyUpdate(userID: "ada", ts: base + 1, set: ["plan": .string("pro")], setOnce: ["first_seen_on": .string("web")]),
            ])
            try await commit(store, inventory, [
                UserPropertyUpdate(userID: "ada", ts: base + 2, set: ["email": .string("ada@example.com")],
                                   setOnce: ["first_seen_on": .string("android"), "referrer": .string("news")]),
            ])
            let ada = try #require(try await store.analytics.users(ListFilter(projectSlug: "inventory", userID: "ada")).first)
            let properties = try JSONValue.parse(try #require(ada.propertiesJSON))
            #expect(properties == .object([
                "plan": .string("pro"), "first_seen_on": .string("ios"), "email": .string("ada@example.com"), "referrer": .string("news"),
            ]))
            #expect(ada.firstSeen == base && ada.lastSeen == base + 2 && ada.sessionCount == 0)
            // Events afterwards keep the properties; other projects never see them.
            _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: 0, events: [
                IngestEvent(ts: base + 5, type: .event, name: "paid", userID: "ada", sessionID: "s1"),
            ]))])
            let again = try #require(try await store.analytics.users(ListFilter(projectSlug: "inventory", userID: "ada")).first)
            #expect(again.propertiesJSON == ada.propertiesJSON && again.sessionCount == 1)
            #expect(try await store.analytics.users(ListFilter(projectSlug: "billing")).isEmpty)
            _ = billing
        }
    }
}
