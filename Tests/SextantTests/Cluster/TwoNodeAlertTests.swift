import Foundation
import Logging
import ServiceLifecycle
import Testing
@testable import SextantCore

/// Two nodes on one database, each running its alert dispatcher: every alert leaves once, and
/// when the node delivering them stops, the other takes over.
@Suite struct TwoNodeAlertTests {
    @Test(arguments: StoreBackend.available)
    func eachNewIssueIsPostedOnceAndDeliveryMovesWhenItsNodeStops(_ backend: StoreBackend) async throws {
        try await backend.withNodes(2) { nodes in
            let (nodeA, nodeB) = (nodes[0], nodes[1])
            try await nodeA.tenancy.applyConfiguration([OrganizationConfig(id: "acme", projects: [
                ProjectConfig(slug: "shop", webhooks: [WebhookConfig(url: "https://hooks.example.com/a", events: [.newIssue])]),
            ])], now: 1)
            let project = try #require(try await nodeA.tenancy.project(slug: "shop")).id
            func raise(_ errors: Range<Int>) async throws {
                for index in errors {
                    let error = IngestEvent(ts: 5, type: .error, name: "Boom\(index)", propsJSON: #"{"message":"bad"}"#)
                    let node = index.isMultiple(of: 2) ? nodeA : nodeB
                    _ = try await node.ingest.commit([.events(EventBatch(projectID: project, receivedAt: 10, events: [error]))])
                }
            }
            func allDelivered() async throws -> Bool { try await nodeA.alerts.dueAlerts(now: .max, limit: 1).isEmpty }

            let transport = AnalysisServiceTests.RecordingTransport()
            let logger = Logger(label: "test")
            func node(_ store: SextantStore, _ name: String) -> (LeaseKeeper, ServiceGroup) {
                let keeper = LeaseKeeper(store: store.leases, holder: name, clock: .system, renewInterval: .milliseconds(50), logger: logger)
                let dispatcher = AlertDispatcher(
                    store: store.alerts, transport: transport, clock: .system, interval: .milliseconds(10), logger: logger, leases: keeper)
                return (keeper, ServiceGroup(configuration: .init(services: [keeper, dispatcher], logger: logger)))
            }
            let (keeperA, groupA) = node(nodeA, "a")
            let (keeperB, groupB) = node(nodeB, "b")
            try await withThrowingTaskGroup(of: Void.self) { nodes in
                nodes.addTask { try await groupA.run() }
                nodes.addTask { try await groupB.run() }
                try await raise(0..<40)
                try await waitUntil { try await allDelivered() }
                // Whichever node delivered stops (its leases given up); the other delivers what follows.
                let deliveredByA = await keeperA.hold(.alertDelivery)
                await (deliveredByA ? groupA : groupB).triggerGracefulShutdown()
                try await raise(40..<60)
                try await waitUntil { try await allDelivered() }
                #expect(await (deliveredByA ? keeperB : keeperA).hold(.alertDelivery))
                await groupA.triggerGracefulShutdown()
                await groupB.triggerGracefulShutdown()
                try await nodes.waitForAll()
            }
            let titles = transport.sent.withLock { $0.map(\.body) }.compactMap { body in
                (0..<60).first { body.contains("New issue: Boom\($0): bad") }
            }
            #expect(titles.count == 60 && Set(titles).count == 60)
        }
    }

    func waitUntil(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { Issue.record("not within 20 s"); return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
