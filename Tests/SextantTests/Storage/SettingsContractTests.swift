import Testing
@testable import SextantCore

/// What the dashboard's settings pages rely on, for every backend: webhooks beside the
/// configuration file's, monitors paused and resumed, their run history, signals removed.
@Suite struct SettingsContractTests {
    @Test(arguments: StoreBackend.available)
    func dashboardWebhooksSurviveTheConfigurationsReplacement(backend: StoreBackend) async throws {
        try await backend.withStore { store, _, _ in
            let configured = WebhookConfig(url: "https://hooks.example.com/file", events: [.newIssue])
            try await store.tenancy.applyConfiguration([
                OrganizationConfig(id: "acme", projects: [ProjectConfig(slug: "inventory", keys: ["k-inv"], webhooks: [configured])]),
            ], now: 2)
            let added = try await store.webhooks.addWebhook(
                projectSlug: "inventory", url: "https://hooks.example.com/added", events: [.regression, .monitorMissed], source: .dashboard, now: 3)
            #expect(added.projectSlug == "inventory" && added.events == [.regression, .monitorMissed] && added.source == "dashboard")
            await #expect(throws: TenancyError.unknownProject("nope")) {
                _ = try await store.webhooks.addWebhook(projectSlug: "nope", url: "https://x.example", events: [.newIssue], source: .dashboard, now: 3)
            }
            // A restart re-applies the file: its own list is replaced, the dashboard's entry stays.
            try await store.tenancy.applyConfiguration([
                OrganizationConfig(id: "acme", projects: [ProjectConfig(slug: "inventory", keys: ["k-inv"])]),
            ], now: 4)
            let after = try await store.webhooks.webhooks(projectSlug: "inventory")
            #expect(after.map(\.url) == ["https://hooks.example.com/added"])
            #expect(try await store.webhooks.webhook(id: added.id) == added)
            #expect(try await store.webhooks.deleteWebhook(id: added.id))
            #expect(try await !store.webhooks.deleteWebhook(id: added.id))
            #expect(try await store.webhooks.webhooks(projectSlug: nil).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func alertsReachWebhooksAddedInTheDashboard(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            _ = try await store.webhooks.addWebhook(projectSlug: "inventory", url: "https://hooks.example.com/a", events: [.newIssue], source: .dashboard, now: 1)
            let error = IngestEvent(ts: 5, type: .error, name: "Boom", userID: "u", propsJSON: #"{"message":"bad"}"#)
            _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: 10, events: [error]))])
            let due = try await store.alerts.dueAlerts(now: 100, limit: 10)
            #expect(due.map(\.url) == ["https://hooks.example.com/a"] && due[0].body.contains("new_issue"))
        }
    }

    @Test(arguments: StoreBackend.available)
    func aPausedMonitorExpectsNothingUntilItsNextRun(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let minute: Int64 = 60_000
            let created = try await store.monitors.create(projectSlug: "inventory", slug: "sync", schedule: "5m", graceSeconds: 60, source: .dashboard, now: 0)
            #expect(created.source == "dashboard" && created.evaluated(at: 10 * minute).status == .missed)
            let paused = try #require(try await store.monitors.setPaused(id: created.id, paused: true, now: 10 * minute))
            #expect(paused.pausedAt == 10 * minute && paused.evaluated(at: 100 * minute) == MonitorEvaluation(status: .paused, nextExpectedAt: nil))
            // Resumed at minute 100: the next run is due five minutes later, not long overdue.
            let resumed = try #require(try await store.monitors.setPaused(id: created.id, paused: false, now: 100 * minute))
            #expect(resumed.pausedAt == nil && resumed.evaluated(at: 101 * minute) == MonitorEvaluation(status: .pending, nextExpectedAt: 105 * minute))
            #expect(resumed.evaluated(at: 107 * minute).status == .missed)
            // A heartbeat resumes a paused monitor, and history lists runs newest first.
            _ = try await store.monitors.setPaused(id: created.id, paused: true, now: 110 * minute)
            let monitor = try #require(try await store.monitors.monitor(id: created.id))
            for (at, status) in [(111 * minute, HeartbeatStatus.success), (112 * minute, .failed)] {
                let current = try #require(try await store.monitors.monitor(id: created.id))
                let heartbeat = current.heartbeat(status: status, durationMs: 1200, message: "run", at: at)
                _ = try await store.ingest.commit([.heartbeat(heartbeat)])
            }
            #expect(monitor.pausedAt == 110 * minute)
            let after = try #require(try await store.monitors.monitor(id: created.id))
            #expect(after.pausedAt == nil && after.evaluated(at: 113 * minute).status == .failed)
            let history = try await store.monitors.heartbeats(monitorID: created.id, limit: 10)
            #expect(history.map(\.ts) == [112 * minute, 111 * minute] && history[0].status == .failed && history[0].durationMs == 1200)
            #expect(try await store.monitors.delete(id: created.id))
            #expect(try await store.monitors.monitor(id: created.id) == nil)
            #expect(try await !store.monitors.delete(id: created.id))
            #expect(try await store.monitors.setPaused(id: created.id, paused: true, now: 0) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func signalsCanBeDeletedAndKeepTheirSource(backend: StoreBackend) async throws {
        try await backend.withStore { store, _, _ in
            let signal = try await store.signals.createSignal(
                projectSlug: "inventory", name: "Errors", prompt: nil, match: try SignalMatch(jsonText: #"{"type":"error"}"#), source: .dashboard, now: 1)
            #expect(try await store.signals.signals(organizationID: nil, after: nil, limit: 10).items.map(\.source) == ["dashboard"])
            #expect(try await store.signals.deleteSignal(id: signal.id))
            #expect(try await !store.signals.deleteSignal(id: signal.id))
            #expect(try await store.signals.signals(organizationID: nil, after: nil, limit: 10).items.isEmpty)
        }
    }
}
