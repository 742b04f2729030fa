import AsyncAlgorithms
import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// Keeps the write-ahead log bounded under sustained ingest.
///
/// PASSIVE checkpoints on a connection of their own copy most frames back while the writer goes
/// on, but under continuous group commits they never catch up with it, so the log never restarts
/// and grows without bound. When the log passes `StorageSettings.walRestartBytes`, a RESTART
/// checkpoint runs on the pool's writer connection: in the writer's own queue it cannot starve or
/// be starved by the batch writer, it only waits (briefly, with its own busy timeout) for readers
/// of older snapshots, and afterwards the next commit writes from the start of the log, which
/// `journal_size_limit` then truncates.
public struct SQLiteCheckpointer: Service {
    let passiveConnection: DatabaseQueue
    let pool: DatabasePool
    let walPath: String
    let restartBytes: Int64
    let interval: Duration
    let logger = Logger(label: "sextant.checkpointer")

    init(pool: DatabasePool, path: String, settings: StorageSettings, interval: Duration = .milliseconds(250)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(1)
        configuration.label = "sextant.checkpointer"
        passiveConnection = try DatabaseQueue(path: path, configuration: configuration)
        self.pool = pool
        walPath = path + "-wal"
        restartBytes = settings.walRestartBytes
        self.interval = interval
    }

    /// The log's size on disk now (0 when absent).
    public func walBytes() -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: walPath))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// One tick: a passive copy, then a restart of the log if it has grown past the threshold.
    public func checkpoint() throws {
        guard walBytes() > 0 else { return }
        try passiveConnection.inDatabase { db in _ = try db.checkpoint(.passive) }
        if walBytes() > restartBytes { try restart() }
    }

    func restart() throws {
        try pool.writeWithoutTransaction { db in
            // Readers of older snapshots hold the restart back; wait for them a little, not the
            // writer's usual ten seconds, so ingest is never stalled long. A busy result leaves
            // the log as it is, and the next tick tries again.
            try db.execute(sql: "PRAGMA busy_timeout = 2000")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(SQLiteDatabase.writerBusyTimeoutMs)") }
            do {
                _ = try db.checkpoint(.restart)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                logger.debug("WAL restart waited for readers; retrying at the next tick")
            }
        }
    }

    public func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            do {
                try checkpoint()
            } catch {
                logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
            }
        }
        try? passiveConnection.inDatabase { db in _ = try db.checkpoint(.passive) }
    }
}
