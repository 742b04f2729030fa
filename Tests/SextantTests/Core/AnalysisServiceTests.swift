import Foundation
import Logging
import Synchronization
import Testing
@testable import SextantCore

/// Monitors opening and resolving issues, alerts leaving through the outbox, digests and slow endpoints.
@Suite struct AnalysisServiceTests {
    struct ReceiverDown: Error {}

    final class RecordingTransport: WebhookTransport {
        let sent = Mutex<[(url: String, body: String)]>([])
        let failuresLeft = Mutex(0)

        func post(json body: String, to url: String) async throws {
            let fail = failuresLeft.withLock { left in
                defer { left = max(left - 1, 0) }
                return left > 0
            }
            if fail { throw ReceiverDown() }
            sent.withLock { $0.append((url, body)) }
        }
    }

    @Test(arguments: StoreBackend.available)
    func newIssuesAndRegressionsReachWebhooksWithRetries(_ backend: StoreBackend) async throws {
        try await backend.withEmptyStore { store in
            try await store.tenancy.applyConfiguration([OrganizationConfig(id: "acme", projects: [
                ProjectConfig(slug: "shop", webhooks: [WebhookConfig(url: "https://hooks.example.com/a", events: [.newIssue, .regression])]),
            ])], now: 1)
            let project = try #require(try await store.tenancy.project(slug: "shop")).id
            let error = IngestEvent(ts: 5, type: .error, name: "Boom", userID: "u", propsJSON: #"{"message":"bad"}"#)
            _ = try await store.ingest.commit([.events(EventBatch(projectID: project, receivedAt: 10, events: [error, error]))])
            let transport = RecordingTransport()
            transport.failuresLeft.withLock { $0 = 1 }
            let clock = Mutex<Int64>(1_000)
            let dispatcher = AlertDispatcher(store: store.alerts, transport: transport, clock: WallClock { clock.withLock { $0 } }, logger: Logger(label: "test"))
            #expect(try await dispatcher.deliverDue() == 0)  // the receiver is down: retried after a backoff
            #expect(try await dispatcher.deliverDue() == 0)
            clock.withLock { $0 += 5_000 }
            #expect(try await dispatcher.deliverDue() == 1)
            let issue = try #require(try await store.issues.issues(IssueFilter(organizationID: "acme")).items.first)
            _ = try await store.issues.updateIssue(id: issue.id, organizationID: "acme", patch: IssuePatch(status: .resolved), now: 20)
            _ = try await store.ingest.commit([.events(EventBatch(projectID: project, receivedAt: 30, events: [error]))])
            #expect(try await dispatcher.deliverDue() == 1)
            let bodies = transport.sent.withLock { $0.map(\.body) }
            #expect(bodies.count == 2 && bodies[0].contains(#""event":"new_issue""#) && bodies[1].contains(#""event":"regression""#))
            #expect(bodies[0].contains(#""text":"[shop] New issue: Boom: bad""#))
        }
    }

    @Test(arguments: StoreBackend.available)
    func missedRunOpensOneIssueAndSuccessResolvesIt(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let monitor = try await store.monitors.create(projectSlug: "inventory", slug: "backup", schedule: "5m", graceSeconds: 60, source: .cli, now: 0)
            let clock = Mutex<Int64>(0)
            let evaluator = MonitorEvaluator(store: store.monitors, issues: store.issues, clock: WallClock { clock.withLock { $0 } }, logger: Logger(label: "t"))
            clock.withLock { $0 = 7 * 60_000 }
            try await evaluator.evaluateAll()
            clock.withLock { $0 = 9 * 60_000 }
            try await evaluator.evaluateAll()  // still missed: no second occurrence
            var issues = try await store.issues.issues(IssueFilter(organizationID: "acme", kind: .missedHeartbeat)).items
            #expect(issues.count == 1 && issues[0].count == 1 && issues[0].status == .unresolved && issues[0].title == "Monitor backup missed its run")
            let now = clock.withLock { $0 }
            let success = HeartbeatRecord(monitorID: monitor.id, ts: now, status: .success, durationMs: 10, message: nil,
                                          evaluation: MonitorEvaluation(status: .healthy, nextExpectedAt: now + 300_000))
            _ = try await store.ingest.commit([.heartbeat(success)])
            issues = try await store.issues.issues(IssueFilter(organizationID: "acme", kind: .missedHeartbeat)).items
            #expect(issues.first?.status == .resolved)
            _ = inventory
        }
    }

    @Test func digestFindsSpikesNewIssuesFailingMonitorsAndSlowEndpoints() {
        var inputs = DigestInputs()
        inputs.sessions = 12
        inputs.errors = 40
        inputs.errorBaseline = 4
        inputs.failingMonitors = [MonitorDigest(slug: "backup", status: "missed")]
        inputs.endpoints = [
            EndpointComparison(method: "GET", host: "api", route: "/orders/:id", count: 50, p95: 900, baselineCount: 400, baselineP95: 300),
            EndpointComparison(method: "GET", host: "api", route: "/health", count: 50, p95: 12, baselineCount: 400, baselineP95: 10),
        ]
        let insight = try! #require(DigestAnalyzer.digest(
            inputs, kind: .hourlyDigest, id: "i", organizationID: "acme", projectSlug: "shop", from: 0, to: 3_600_000, now: 3_600_001))
        #expect(insight.findings.map(\.analyzer) == ["error_spike", "failing_monitors", "slow_endpoints"])
        #expect(insight.severity == .critical && insight.sessionsCount == 12)
        #expect(insight.contentPreview.contains("40 errors, 10.0× the usual 4.0"))
        #expect(DigestAnalyzer.slowEndpoints(inputs.endpoints).map(\.route) == ["/orders/:id"])
        #expect(DigestAnalyzer.digest(DigestInputs(), kind: .dailyDigest, id: "q", organizationID: "a", projectSlug: "s", from: 0, to: 1, now: 2) == nil)
    }

    @Test(arguments: StoreBackend.available)
    func insightServiceWritesEachClosedIntervalOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let hour: Int64 = 3_600_000
            let events = [IngestEvent(ts: 10 * hour + 5, type: .pageview, name: "pageview", sessionID: "s1")]
            _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: 10 * hour + 5, events: events))])
            let service = InsightService(store: store, clock: WallClock { 11 * hour + 30 }, logger: Logger(label: "t"))
            var considered = Set<String>()
            #expect(try await service.digestClosedIntervals(considered: &considered) == 1)
            #expect(try await service.digestClosedIntervals(considered: &considered) == 0)
            let insights = try await store.insights.insights(organizationID: "acme", after: nil, limit: 10).items
            #expect(insights.count == 1 && insights[0].kind == .hourlyDigest && insights[0].sessionsCount == 1)
            #expect(insights[0].intervalStart == 10 * hour && insights[0].intervalEnd == 11 * hour)
        }
    }
}
