import AsyncAlgorithms
import Logging
import ServiceLifecycle

/// Deletes data older than each project's retention (by when Sextant received it, API.md §10),
/// in small batches, with the replay files of deleted chunks.
public struct RetentionService: Service {
    let tenancy: any TenancyStore
    let retention: any RetentionStore
    let blobs: any BlobStore
    let clock: WallClock
    let interval: Duration
    let batchSize: Int
    let logger: Logger
    /// Set in a server: the pass runs only on the node that holds this work's lease.
    let leases: LeaseKeeper?

    public init(
        store: SextantStore, clock: WallClock, interval: Duration = .seconds(600), batchSize: Int = 1_000, logger: Logger,
        leases: LeaseKeeper? = nil
    ) {
        tenancy = store.tenancy
        retention = store.retention
        blobs = store.blobs
        self.clock = clock
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
        self.leases = leases
    }

    /// One full pass over every project and kind; returns the rows deleted.
    @discardableResult
    public func purgeExpired() async throws -> Int {
        let now = clock.nowMilliseconds()
        var total = 0
        for project in try await tenancy.projects() {
            for (kind, days) in project.retention.byKind where days > 0 {
                let cutoff = now - Int64(days) * UTCDay.millisecondsPerDay
                while !Task.isCancelled {
                    let result = try await retention.purge(kind, projectID: project.id, receivedBefore: cutoff, limit: batchSize)
                    for key in result.blobKeys { try? await blobs.delete(key: key) }
                    total += result.deletedRows
                    if result.deletedRows < batchSize { break }
                    // Let ingest's writer in between batches.
                    await Task.yield()
                }
            }
        }
        total += try await retention.purgeSpent(now: now)
        if total > 0 { logger.info("retention removed \(total) rows") }
        return total
    }

    public func run() async throws {
        await periodically(every: interval, immediately: true, lease: leases.map { ($0, .retention) }, logger: logger, failure: "retention pass failed") {
            try await purgeExpired()
        }
    }
}
