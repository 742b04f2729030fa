import Foundation
import GRDB
import Logging

/// The WAL's bound and the one way to restart the log, shared by the background checkpointer
/// (which restarts early, at a quarter of the bound) and the ingest writer (which restarts
/// before a commit once the log passes three quarters of it, so the bound holds even when the
/// checkpointer's timer falls behind on a busy machine).
struct SQLiteWALLimit: Sendable {
    let walPath: String
    let maxBytes: Int64

    init(databasePath: String, settings: StorageSettings) {
        walPath = databasePath + "-wal"
        maxBytes = settings.maxWALBytes
    }

    /// Where the checkpointer restarts the log.
    var earlyRestartBytes: Int64 { max(maxBytes / 4, 1 << 20) }
    /// Where the writer restarts it before committing more.
    var writerRestartBytes: Int64 { maxBytes / 4 * 3 }

    /// The log's size on disk now (0 when absent).
    func walBytes() -> Int64 {
        var status = stat()
        return stat(walPath, &status) == 0 ? Int64(status.st_size) : 0
    }

    /// Checkpoints every frame and restarts the log, on the writer connection `db` (outside a
    /// transaction). Readers of older snapshots hold it back; it waits for them briefly rather
    /// than the writer's usual ten seconds, and a busy result leaves the log for the next try.
    func restart(_ db: Database, logger: Logger) throws {
        try db.execute(sql: "PRAGMA busy_timeout = 2000")
        defer { try? db.execute(sql: "PRAGMA busy_timeout = \(SQLiteDatabase.writerBusyTimeoutMs)") }
        do {
            _ = try db.checkpoint(.restart)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            logger.debug("WAL restart waited for readers; retrying later", metadata: ["wal_bytes": "\(walBytes())"])
        }
    }
}
