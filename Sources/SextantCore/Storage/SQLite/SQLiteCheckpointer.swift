import AsyncAlgorithms
import GRDB
import Logging
import ServiceLifecycle

/// Copies the WAL back into the database file on a connection of its own, so the ingest writer
/// never pays for it. PASSIVE checkpoints neither wait for nor block the writer.
public struct SQLiteCheckpointer: Service {
    let connection: DatabaseQueue
    let interval: Duration

    public init(path: String, interval: Duration = .milliseconds(500)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(1)
        configuration.label = "sextant.checkpointer"
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
    }

    public func checkpoint() throws {
        try connection.inDatabase { db in
            _ = try db.checkpoint(.passive)
        }
    }

    public func run() async throws {
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            do {
                try checkpoint()
            } catch {
                Logger(label: "sextant.checkpointer").warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
            }
        }
        try? checkpoint()
    }
}
