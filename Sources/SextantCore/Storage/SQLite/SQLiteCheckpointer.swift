import AsyncAlgorithms
import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// Keeps the write-ahead log bounded under sustained ingest.
///
/// PASSIVE checkpoints on a connection of their own copy most frames back while the writer goes
/// on, but under continuous group commits they never catch up with it, so the log never restarts
/// and grows without bound. When the log passes a quarter of its bound (`SQLiteWALLimit`), a RESTART
/// checkpoint runs on the pool's writer connection: in the writer's own queue it cannot starve or
/// be starved by the batch writer, it only waits (briefly, with its own busy timeout) for readers
/// of older snapshots, and afterwards the next commit writes from the start of the log, which
/// `journal_size_limit` then truncates.
public struct SQLiteCheckpointer: Service {
    let passiveConnection: DatabaseQueue
    let pool: DatabasePool
    let limit: SQLiteWALLimit
    let interval: Duration
    let logger = Logger(label: "sextant.checkpointer")

    init(pool: DatabasePool, path: String, settings: StorageSettings, interval: Duration = .milliseconds(250)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(1)
        configuration.label = "sextant.checkpointer"
        passiveConnection = try DatabaseQueue(path: path, configuration: configuration)
        self.pool = pool
        limit = SQLiteWALLimit(databasePath: path, settings: settings)
        self.interval = interval
    }

    /// The log's size on disk now (0 when absent).
    public func walBytes() -> Int64 { limit.walBytes() }

    /// One tick: a passive copy, then a restart of the log if it has grown past a quarter of
    /// its bound. The passive copy runs beside the writer, so the restart, which holds the
    /// writer's connection, has only the frames committed since to copy.
    public func checkpoint() throws {
        guard walBytes() > 0 else { return }
        do {
            try passiveConnection.inDatabase { db in _ = try db.checkpoint(.passive) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            // A restart on the writer's connection holds the checkpoint lock: expected, next tick.
            logger.debug("passive checkpoint met a restart in progress")
            return
        }
        guard walBytes() > limit.earlyRestartBytes else { return }
        try pool.writeWithoutTransaction { db in try limit.restart(db, logger: logger) }
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
