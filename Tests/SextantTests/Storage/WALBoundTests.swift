import Foundation
import GRDB
import Logging
import Metrics
import Synchronization
import Testing
@testable import SextantCore

/// The SQLite write-ahead log stays under its bound while several writers ingest without pause
/// and readers hold snapshots (issue 17: PASSIVE checkpoints alone let it grow without limit).
@Suite struct WALBoundTests {
    /// The load runs at least this long, so checkpoints meet readers many times over...
    static let minimumSeconds = 20
    /// ...and until the database holds this many times the bound, however fast the machine is:
    /// every page of it passed through the log, so without checkpoints the log would now hold
    /// twice its bound: the bound was really tested.
    static let boundMultiple: Int64 = 2
    static let deadlineSeconds = 150

    @Test func theLogStaysUnderItsBoundUnderSustainedIngest() async throws {
        let directory = try TemporaryDirectory()
        var settings = StorageSettings()
        settings.maxWALBytes = 8 << 20
        let store = try await StoreBackend.makeSQLiteStore(directory: directory.path, storage: settings)
        try await store.tenancy.applyConfiguration([OrganizationConfig(id: "acme", projects: [ProjectConfig(slug: "web", keys: ["k"])])], now: 1)
        let projectID = try await store.tenancy.project(slug: "web")!.id
        let checkpointer = try #require(store.services.first as? SQLiteCheckpointer)
        let writer = BatchWriter(store: store.ingest, settings: .init(), logger: Logger(label: "test"), metrics: NOOPMetricsHandler.instance)
        let tally = LoadTally(deadline: .now + .seconds(Self.deadlineSeconds))
        let databasePath = directory.path + "/sextant.sqlite"
        let started = ContinuousClock.now
        let enoughDatabaseBytes = Self.boundMultiple * settings.maxWALBytes

        try await withThrowingTaskGroup(of: Void.self) { services in
            services.addTask { try await writer.run() }
            services.addTask { try await checkpointer.run() }
            try await withThrowingTaskGroup(of: Void.self) { load in
                for writerIndex in 0..<4 {
                    load.addTask {
                        var round = 0
                        while tally.loadGoesOn() {
                            round += 1
                            let events = (0..<200).map { index in
                                IngestEvent(
                                    ts: 1_700_000_000_000 + Int64(round * 200 + index), type: .event, name: "view_\(index % 8)",
                                    userID: "u\(writerIndex)-\(index % 50)", sessionID: "s\(writerIndex)-\(round % 20)",
                                    url: "https://shop.example.com/p/\(index % 30)", propsJSON: #"{"sku":"BP-\#(index)","price":\#(index)}"#)
                            }
                            if try await writer.submit(.events(EventBatch(projectID: projectID, receivedAt: 1, events: events))) == .stored {
                                tally.acknowledged.add(events.count, ordering: .relaxed)
                            }
                        }
                    }
                }
                // Readers hold snapshots, which is what keeps a passive checkpoint from finishing.
                load.addTask {
                    while tally.loadGoesOn() {
                        _ = try await store.analytics.aggregates(filter: TimeFilter(projectSlug: "web"), limit: 10)
                    }
                }
                load.addTask {
                    while tally.loadGoesOn() {
                        _ = tally.largestWAL.max(checkpointer.walBytes(), ordering: .relaxed)
                        let databaseBytes = Self.fileBytes(databasePath)
                        _ = tally.databaseBytes.max(databaseBytes, ordering: .relaxed)
                        if ContinuousClock.now >= started + .seconds(Self.minimumSeconds),
                           databaseBytes >= enoughDatabaseBytes {
                            tally.enoughLoad.store(true, ordering: .relaxed)
                        }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                try await load.waitForAll()
            }
            services.cancelAll()
        }

        let largest = tally.largestWAL.load(ordering: .relaxed)
        let stored = try await DatabaseQueue(path: databasePath).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM events")!
        }
        let databaseBytes = tally.databaseBytes.load(ordering: .relaxed)
        #expect(databaseBytes >= enoughDatabaseBytes,
                "only \(databaseBytes) bytes reached the database before the deadline: the bound was not tested")
        #expect(stored == tally.acknowledged.load(ordering: .relaxed))
        #expect(largest < settings.maxWALBytes, "the WAL reached \(largest) bytes, over its bound of \(settings.maxWALBytes)")
    }

    static func fileBytes(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

/// Shared by the load tasks: events acknowledged, the largest WAL and database file seen.
private final class LoadTally: Sendable {
    let largestWAL = Atomic<Int64>(0)
    let databaseBytes = Atomic<Int64>(0)
    let enoughLoad = Atomic<Bool>(false)
    let deadline: ContinuousClock.Instant

    init(deadline: ContinuousClock.Instant) { self.deadline = deadline }

    func loadGoesOn() -> Bool {
        !enoughLoad.load(ordering: .relaxed) && ContinuousClock.now < deadline
    }
    let acknowledged = Atomic<Int>(0)
}
