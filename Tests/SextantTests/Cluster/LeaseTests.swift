import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import SextantCore

/// Cluster-wide background work runs on one node at a time, and moves when its holder dies.
@Suite struct LeaseTests {
    @Test(arguments: StoreBackend.available)
    func aLeaseHasOneHolderUntilItExpiresOrIsGivenUp(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _, _ in
            let leases = store.leases
            #expect(try await leases.acquire("retention", holder: "a", expiresAt: 100, now: 0))
            #expect(try await !leases.acquire("retention", holder: "b", expiresAt: 150, now: 50))
            #expect(try await leases.acquire("retention", holder: "a", expiresAt: 200, now: 90))
            #expect(try await leases.acquire("alert-delivery", holder: "b", expiresAt: 200, now: 90))
            // Expired: the next to ask takes it, and the old holder no longer renews it.
            #expect(try await leases.acquire("retention", holder: "b", expiresAt: 300, now: 200))
            #expect(try await !leases.acquire("retention", holder: "a", expiresAt: 300, now: 201))
            try await leases.release("retention", holder: "a")
            #expect(try await !leases.acquire("retention", holder: "a", expiresAt: 300, now: 202))
            try await leases.release("retention", holder: "b")
            #expect(try await leases.acquire("retention", holder: "a", expiresAt: 400, now: 203))
        }
    }

    @Test(arguments: StoreBackend.available)
    func racingNodesElectOneHolder(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, _, _ in
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for node in 0..<12 { group.addTask { try await store.leases.acquire("monitor-evaluation", holder: "n\(node)", expiresAt: 1_000, now: 1) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }

    @Test func theWorkMovesWithinTheLeaseWhenItsHolderStopsRenewing() async throws {
        try await StoreBackend.sqlite.withStore { store, _, _ in
            let now = Mutex<Int64>(1_000_000)
            let clock = WallClock { now.withLock { $0 } }
            let first = LeaseKeeper(store: store.leases, holder: "first", clock: clock, logger: Logger(label: "t"))
            let second = LeaseKeeper(store: store.leases, holder: "second", clock: clock, logger: Logger(label: "t"))
            #expect(await first.hold(.alertDelivery))
            #expect(await !second.hold(.alertDelivery))
            // `first` dies (no more renewals); within the 30 s lease, `second` still waits.
            now.withLock { $0 += 20_000 }
            #expect(await !second.hold(.alertDelivery))
            now.withLock { $0 += 11_000 }
            #expect(await second.hold(.alertDelivery))
            #expect(await !first.hold(.alertDelivery))
        }
    }

    @Test func aStoppingNodeGivesItsLeasesUpAtOnce() async throws {
        try await StoreBackend.sqlite.withStore { store, _, _ in
            let clock = WallClock { 5_000_000 }
            let leaving = LeaseKeeper(store: store.leases, holder: "leaving", clock: clock, renewInterval: .milliseconds(20), logger: Logger(label: "t"))
            let staying = LeaseKeeper(store: store.leases, holder: "staying", clock: clock, logger: Logger(label: "t"))
            #expect(await leaving.hold(.retention))
            let group = ServiceGroup(configuration: .init(services: [leaving], logger: Logger(label: "t")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // Whether the keeper's loop has begun or not, shutting it down gives up what it holds.
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(await staying.hold(.retention))
        }
    }
}
