import Testing
@testable import SextantCore

@Suite struct TenancyContractTests {
    @Test(arguments: StoreBackend.available)
    func resolvesKeysToTheirProjectAndRevokesWhatConfigurationDrops(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            #expect(try await store.tenancy.resolveIngestKey("k-inv")?.project.id == inventory)
            #expect(try await store.tenancy.resolveIngestKey("k-unknown") == nil)
            try await store.tenancy.applyConfiguration([
                OrganizationConfig(id: "acme", tokens: [TokenConfig(token: "luc_api_x", scopes: [.readLucent])], projects: [
                    ProjectConfig(slug: "inventory", keys: ["k-inv-2"], origins: ["https://a.example"], serverKey: "k-server",
                                  rateLimit: RateLimit(requestsPerSecond: 5, burst: 10)),
                ]),
            ], now: 2)
            #expect(try await store.tenancy.resolveIngestKey("k-inv") == nil)
            #expect(try await store.tenancy.resolveIngestKey("k-bill") == nil)
            let credential = try #require(try await store.tenancy.resolveIngestKey("k-server"))
            #expect(credential.isServerKey && credential.project.origins == ["https://a.example"])
            #expect(credential.project.rateLimit == RateLimit(requestsPerSecond: 5, burst: 10))
            let token = try #require(try await store.tenancy.resolveAPIToken("luc_api_x", now: 1))
            #expect(token.organizationID == "acme" && token.scopes == [.readLucent] && !token.displayPrefix.contains("luc_api_x"))
        }
    }

    @Test(arguments: StoreBackend.available)
    func cliRecordsLiveBesideTheConfiguration(backend: StoreBackend) async throws {
        try await backend.withStore { store, _, _ in
            let project = try await store.tenancy.createProject(slug: "web", organizationID: "acme", name: "Web", origins: [], now: 5)
            await #expect(throws: TenancyError.duplicateProject("web")) {
                _ = try await store.tenancy.createProject(slug: "web", organizationID: "acme", name: "Web", origins: [], now: 5)
            }
            await #expect(throws: TenancyError.unknownOrganization("nope")) {
                _ = try await store.tenancy.createProject(slug: "x", organizationID: "nope", name: "X", origins: [], now: 5)
            }
            try await store.tenancy.addIngestKey("k-web", projectSlug: "web", source: .cli, now: 6)
            await #expect(throws: TenancyError.duplicateKey) { try await store.tenancy.addIngestKey("k-web", projectSlug: "web", source: .cli, now: 6) }
            #expect(try await store.tenancy.resolveIngestKey("k-web")?.project == project)
            #expect(try await store.tenancy.ingestKeys(projectSlug: "web").map(\.key) == ["k-web"])
            #expect(try await store.tenancy.revokeIngestKey("k-web", now: 7))
            #expect(try await !store.tenancy.revokeIngestKey("k-web", now: 8))
            #expect(try await store.tenancy.resolveIngestKey("k-web") == nil)
            // Re-applying the same configuration keeps CLI-made records.
            try await store.tenancy.applyConfiguration([OrganizationConfig(id: "acme", projects: [ProjectConfig(slug: "inventory", keys: ["k-inv"])])], now: 9)
            #expect(try await store.tenancy.project(slug: "web") != nil)

            let info = try await store.tenancy.addAPIToken("sx_api_secret", organizationID: "acme", scopes: [.readLucent, .writeIssues], name: "ci", source: .cli, now: 10)
            #expect(try await store.tenancy.resolveAPIToken("sx_api_secret", now: 1)?.id == info.id)
            #expect(try await store.tenancy.revokeAPIToken(id: info.id, now: 11))
            #expect(try await store.tenancy.resolveAPIToken("sx_api_secret", now: 1) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func firstStartCreatesDefaultsOnlyOnce(backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            let first = try #require(try await TenancyBootstrap.prepare(store: store, organizations: [], now: 1))
            #expect(first.projectSlug == "default" && first.ingestKey.hasPrefix("sx_pk_") && first.apiToken.hasPrefix("sx_api_"))
            #expect(try await store.tenancy.resolveIngestKey(first.ingestKey)?.project.slug == "default")
            #expect(try await store.tenancy.resolveAPIToken(first.apiToken, now: 1)?.scopes == TokenScope.allCases)
            #expect(try await TenancyBootstrap.prepare(store: store, organizations: [], now: 2) == nil)
        }
    }
}

/// Creations that race on one name (on several nodes, several writers) make one record.
@Suite struct RacingCreationContractTests {
    func race<Value: Sendable>(_ times: Int, _ create: @escaping @Sendable () async throws -> Value) async -> (created: Int, errors: [any Error]) {
        await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<times {
                group.addTask {
                    do {
                        _ = try await create()
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var errors: [any Error] = []
            for await error in group { if let error { errors.append(error) } }
            return (times - errors.count, errors)
        }
    }

    @Test(arguments: StoreBackend.available)
    func oneProjectKeyAndMonitorPerName(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _, _ in
            let projects = await race(8) { try await store.tenancy.createProject(slug: "web", organizationID: "acme", name: "Web", origins: [], now: 1) }
            #expect(projects.created == 1 && projects.errors.allSatisfy { "\($0)" == "\(TenancyError.duplicateProject("web"))" })
            let keys = await race(8) { try await store.tenancy.addIngestKey("sx_pk_same", projectSlug: "web", source: .cli, now: 1) }
            #expect(keys.created == 1 && keys.errors.allSatisfy { "\($0)" == "\(TenancyError.duplicateKey)" })
            let monitors = await race(8) {
                try await store.monitors.create(projectSlug: "web", slug: "nightly", schedule: "0 3 * * *", graceSeconds: 60, source: .cli, now: 1)
            }
            #expect(monitors.created == 1 && monitors.errors.allSatisfy { "\($0)" == "\(MonitorError.duplicate("nightly"))" })
            // The other failure each one names: what it was to be created in does not exist.
            await #expect(throws: TenancyError.self) {
                try await store.tenancy.createProject(slug: "api", organizationID: "nobody", name: "API", origins: [], now: 1)
            }
            await #expect(throws: TenancyError.self) { try await store.tenancy.addIngestKey("sx_pk_other", projectSlug: "ghost", source: .cli, now: 1) }
            await #expect(throws: TenancyError.self) {
                try await store.monitors.create(projectSlug: "ghost", slug: "m", schedule: "5m", graceSeconds: 0, source: .cli, now: 1)
            }
            let allProjects = try await store.tenancy.projects().map(\.slug)
            #expect(allProjects.filter { $0 == "web" }.count == 1 && !allProjects.contains("api"))
        }
    }

    /// Every node applies the configuration file as it starts; all starting at once leave one of each record.
    @Test(arguments: StoreBackend.available)
    func nodesStartingTogetherApplyTheConfigurationOnce(_ backend: StoreBackend) async throws {
        let file = [OrganizationConfig(id: "acme", tokens: [TokenConfig(token: "luc_api_same", scopes: [.readLucent])], projects: [
            ProjectConfig(
                slug: "shop", keys: ["k-shop"], monitors: [MonitorConfig(slug: "nightly", schedule: "0 3 * * *", graceSeconds: 60)],
                signals: [SignalConfig(name: "Errors", match: try SignalMatch(jsonText: #"{"type":"error"}"#))],
                webhooks: [WebhookConfig(url: "https://hooks.example.com/a", events: [.newIssue])]),
        ])]
        try await backend.withNodes(4) { nodes in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in nodes {
                    group.addTask {
                        try await node.tenancy.applyConfiguration(file, now: 1)
                        try await node.monitors.applyConfiguration(file, now: 1)
                    }
                }
                try await group.waitForAll()
            }
            let store = nodes[0]
            #expect(try await store.tenancy.projects().map(\.slug) == ["shop"])
            #expect(try await store.tenancy.ingestKeys(projectSlug: "shop").map(\.key) == ["k-shop"])
            #expect(try await store.tenancy.apiTokens(organizationID: "acme").count == 1)
            #expect(try await store.webhooks.webhooks(projectSlug: "shop").map(\.url) == ["https://hooks.example.com/a"])
            #expect(try await store.monitors.monitors(projectSlug: "shop").map(\.slug) == ["nightly"])
            #expect(try await store.signals.signals(organizationID: "acme", after: nil, limit: 10).items.map(\.name) == ["Errors"])
        }
    }
}
