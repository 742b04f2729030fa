import Foundation
import Synchronization
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SextantCore
@testable import SextantServer

/// `/healthz` answers 503 while the bucket does not: a load balancer then stops sending to the node.
@Suite struct BackendHealthTests {
    struct UnreachableBlobs: BlobStore {
        func put(_ bytes: [UInt8], key: String) async throws { throw BlobStoreError.unreachable("down") }
        func get(key: String) async throws -> [UInt8]? { throw BlobStoreError.unreachable("down") }
        func delete(key: String) async throws { throw BlobStoreError.unreachable("down") }
        func checkReachable() async throws { throw BlobStoreError.unreachable("the bucket replays at http://s3.test is unreachable") }
    }

    @Test func healthzIsUnavailableWhileTheBucketIsUnreachable() async throws {
        let directory = try TemporaryDirectory()
        var dependencies = ApplicationDependencies()
        var store = try await StoreBackend.makeSQLiteStore(directory: directory.path)
        store.blobs = UnreachableBlobs()
        dependencies.store = store
        let app = try await buildApplication(configuration: Fixture.configuration(dataDirectory: directory.path), dependencies: dependencies)
        try await app.test(.router) { client in
            try await client.get("/healthz", auth: false) { response in
                let body = try jsonObject(response.body)
                #expect(response.status == .serviceUnavailable && body["status"] as? String == "unavailable")
                #expect(body["error"] as? String == "blobs: the bucket replays at http://s3.test is unreachable")
            }
        }
    }

    @Test func aDatabaseThatCannotBeReadIsNamedFirst() async throws {
        struct BrokenDatabase: DatabaseHealth {
            func checkReachable() async throws { throw BlobStoreError.unreachable("disk I/O error") }
        }
        let health = BackendHealth(database: BrokenDatabase(), blobs: UnreachableBlobs(), clock: .system)
        #expect(await health.problem() == "database: disk I/O error")
    }

    @Test func aReadingIsReusedForAFewSeconds() async throws {
        actor Counter: BlobStore {
            var checks = 0
            func put(_ bytes: [UInt8], key: String) async throws {}
            func get(key: String) async throws -> [UInt8]? { nil }
            func delete(key: String) async throws {}
            func checkReachable() async throws { checks += 1 }
        }
        let counter = Counter()
        let now = Mutex<Int64>(1_000_000)
        let directory = try TemporaryDirectory()
        let store = try await StoreBackend.makeSQLiteStore(directory: directory.path)
        let health = BackendHealth(database: store.database, blobs: counter, clock: WallClock { now.withLock { $0 } })
        for _ in 0..<5 { #expect(await health.problem() == nil) }
        now.withLock { $0 += 6_000 }
        #expect(await health.problem() == nil)
        let checks = await counter.checks
        #expect(checks == 2)
    }
}
