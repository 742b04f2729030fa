import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Watches the free space of the data directory's filesystem. Below the floor
/// (`StorageSettings.freeFloor`) ingest is refused with 507 and `Retry-After` instead of failing
/// writes half-way; reads go on; and it resumes by itself when space returns.
public final class DiskSpaceGuard: Service, Sendable {
    public struct Reading: Sendable, Equatable {
        public var freeBytes: Int64
        public var totalBytes: Int64
        public var floorBytes: Int64
        /// A write failed for want of space since the last reading that was above the floor.
        public var writeFailed = false

        public var isLow: Bool { writeFailed || freeBytes < floorBytes }
    }

    private let path: String
    private let settings: StorageSettings
    private let reserve: DiskReserve
    private let interval: Duration
    private let logger: Logger
    private let state = Mutex<Reading?>(nil)

    public init(path: String, settings: StorageSettings, interval: Duration = .seconds(1), logger: Logger) {
        self.path = path
        self.settings = settings
        reserve = DiskReserve(directory: path, bytes: settings.reserveBytes)
        self.interval = interval
        self.logger = logger
        _ = check()
    }

    /// The latest reading; nil when the filesystem could not be read.
    public var reading: Reading? { state.withLock { $0 } }

    public var isLow: Bool { state.withLock { $0?.isLow ?? false } }

    /// Records that a write failed for want of space: ingest stops until a reading shows room again.
    public func noteWriteFailedForSpace() {
        let changed = state.withLock { reading -> Bool in
            guard var current = reading, !current.writeFailed else { return false }
            current.writeFailed = true
            reading = current
            return true
        }
        if changed { logger.warning("a write failed for want of disk space: ingest is refused (507) until space returns", metadata: ["path": "\(path)"]) }
    }

    /// Reads the filesystem now, logs a change of state, and returns the reading.
    @discardableResult
    public func check() -> Reading? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return reading }
        let blockSize = Int64(stats.f_frsize)
        let total = Int64(stats.f_blocks) * blockSize
        let free = Int64(stats.f_bavail) * blockSize
        var next = Reading(freeBytes: free, totalBytes: total, floorBytes: settings.freeFloor(totalBytes: total))
        let previous = state.withLock { reading -> Reading? in
            let previous = reading
            // A failed write keeps ingest refused until free space is back to twice the floor.
            if let previous, previous.writeFailed, free < next.floorBytes * 2 { next.writeFailed = true }
            reading = next
            return previous
        }
        if next.isLow, previous?.isLow != true {
            logger.warning("disk space is low: ingest is refused (507) until it returns; reads go on", metadata: [
                "path": "\(path)", "free_bytes": "\(free)", "floor_bytes": "\(next.floorBytes)"])
        } else if !next.isLow, previous?.isLow == true {
            logger.info("disk space is back: ingest resumes", metadata: ["path": "\(path)", "free_bytes": "\(free)"])
        }
        if free - settings.reserveBytes > next.floorBytes, !reserve.exists {
            do {
                try reserve.lay()
            } catch {
                logger.warning("could not lay down the disk reserve", metadata: ["error": "\(error)"])
            }
        }
        return next
    }

    public func run() async throws {
        await periodically(every: interval, logger: logger, failure: "disk space check failed") { check() }
    }
}
