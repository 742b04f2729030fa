import AsyncAlgorithms
import Logging
import ServiceLifecycle

/// Keeps the event index warm and on disk: at start it restores the snapshot (or reads every
/// event when there is none) before the first query has to, then writes a new snapshot when
/// enough has changed or some time has passed, and once more at shutdown.
public struct EventIndexService: Service {
    let index: EventIndex
    let path: String
    let interval: Duration
    /// Changes that make a snapshot due before `quietSaves` ticks have passed.
    let changesPerSave: Int
    let quietSaves: Int
    let logger = Logger(label: "sextant.event-index")

    public init(index: EventIndex, path: String, interval: Duration = .seconds(60), changesPerSave: Int = 1_000_000, quietSaves: Int = 10) {
        self.index = index
        self.path = path
        self.interval = interval
        self.changesPerSave = changesPerSave
        self.quietSaves = quietSaves
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
        var ticks = 0
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            ticks += 1
            let changes = await index.changesSinceSnapshot
            guard changes >= changesPerSave || (changes > 0 && ticks >= quietSaves) else { continue }
            ticks = 0
            await save()
        }
        await save()
    }

    private func save() async {
        do {
            try await index.catchUp()
            if let events = try await index.save(to: path) { logger.debug("event index saved", metadata: ["events": "\(events)"]) }
        } catch {
            logger.warning("event index snapshot failed", metadata: ["error": "\(error)"])
        }
    }
}
