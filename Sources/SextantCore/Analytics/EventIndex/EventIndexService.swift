import AsyncAlgorithms
import Logging
import ServiceLifecycle

/// Keeps the event index warm and on disk: at start it restores the snapshot (or reads every
/// event when there is none) before the first query has to; every second it takes what ingest
/// commits handed over, so the inbox stays small without queries; and it writes a new snapshot
/// once a third of the index (at least two million events) has changed, or ten minutes after any
/// change, and once more at shutdown.
public struct EventIndexService: Service {
    let index: EventIndex
    let path: String
    let tick: Duration
    let quietSaveTicks: Int
    let logger = Logger(label: "sextant.event-index")

    public init(index: EventIndex, path: String, tick: Duration = .seconds(1), quietSaveTicks: Int = 600) {
        self.index = index
        self.path = path
        self.tick = tick
        self.quietSaveTicks = quietSaveTicks
    }

    public func run() async throws {
        let started = ContinuousClock.now
        do {
            let restored = try await index.restore(from: path)
            try await index.catchUp()
            logger.info("event index ready", metadata: ["from_snapshot": "\(restored)", "seconds": "\(ContinuousClock.now - started)"])
        } catch {
            // Queries catch up on their own; a damaged snapshot is replaced by the next save.
            logger.warning("event index could not start from its snapshot", metadata: ["error": "\(error)"])
        }
        var ticksSinceSave = 0
        for await _ in AsyncTimerSequence(interval: tick, clock: .continuous).cancelOnGracefulShutdown() {
            ticksSinceSave += 1
            await index.takeInbox()
            let (changes, size) = await (index.changesSinceSnapshot, index.eventCount)
            guard changes >= max(2_000_000, size / 3) || (changes > 0 && ticksSinceSave >= quietSaveTicks) else { continue }
            ticksSinceSave = 0
            await save(readingTheStore: true)
        }
        // At shutdown the task is cancelled, and store reads with it: what the inbox holds is saved,
        // and the next start reads the rest.
        await save(readingTheStore: false)
    }

    private func save(readingTheStore: Bool) async {
        do {
            if readingTheStore { try await index.catchUp() } else { await index.takeInbox() }
            if let events = try await index.save(to: path, trimming: readingTheStore) {
                logger.debug("event index saved", metadata: ["events": "\(events)"])
            }
        } catch {
            logger.warning("event index snapshot failed", metadata: ["error": "\(error)"])
        }
    }
}
