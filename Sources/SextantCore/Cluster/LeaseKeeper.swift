import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Background work that must run on one node of a cluster at a time: each node's service asks
/// `hold` before a pass, and only the lease's holder goes on. The keeper renews what this node
/// holds every `renewInterval`, so a holder keeps its work however long its passes are apart, and
/// a holder that dies loses it within `ttl` (30 s): the next node to ask takes it over. On
/// shutdown the leases are given up at once. With one node, it always holds everything.
public final class LeaseKeeper: Service, Sendable {
    /// The cluster-wide work, by lease name.
    public enum Work: String, Sendable, CaseIterable {
        case monitorEvaluation = "monitor-evaluation"
        case retention
        case replayAnalysis = "replay-analysis"
        case insightDigests = "insight-digests"
        case alertDelivery = "alert-delivery"
    }

    let store: any LeaseStore
    public let holder: String
    let clock: WallClock
    let ttl: Duration
    let renewInterval: Duration
    let logger: Logger
    /// Until when this node holds each lease it has, by its own last acquire or renewal.
    private let held = Mutex<[Work: Int64]>([:])

    public init(
        store: any LeaseStore, holder: String = LeaseKeeper.nodeName(), clock: WallClock, ttl: Duration = .seconds(30),
        renewInterval: Duration = .seconds(10), logger: Logger
    ) {
        self.store = store
        self.holder = holder
        self.clock = clock
        self.ttl = ttl
        self.renewInterval = renewInterval
        self.logger = logger
    }

    /// This host, process and start: unique per running node, and readable in the leases table.
    public static func nodeName() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// True when this node holds `work` now, taking it when it is free or its holder let it expire.
    public func hold(_ work: Work) async -> Bool {
        let now = clock.nowMilliseconds()
        // Held with more than half the lease left: no need to ask the database.
        if let until = held.withLock({ $0[work] }), until - now > milliseconds(ttl) / 2 { return true }
        return await acquire(work, now: now)
    }

    public func run() async throws {
        await periodically(every: renewInterval, logger: logger, failure: "lease renewal failed") {
            let now = clock.nowMilliseconds()
            for work in held.withLock({ Array($0.keys) }) { _ = await acquire(work, now: now) }
        }
        for work in held.withLock({ Array($0.keys) }) {
            do {
                try await store.release(work.rawValue, holder: holder)
            } catch {
                logger.warning("could not give up a lease at shutdown; it expires by itself", metadata: ["lease": "\(work.rawValue)", "error": "\(error)"])
            }
        }
        held.withLock { $0.removeAll() }
    }

    private func acquire(_ work: Work, now: Int64) async -> Bool {
        let until = now + milliseconds(ttl)
        do {
            let acquired = try await store.acquire(work.rawValue, holder: holder, expiresAt: until, now: now)
            let wasHeld = held.withLock { held in
                defer { held[work] = acquired ? until : nil }
                return held[work] != nil
            }
            if acquired != wasHeld {
                logger.info(acquired ? "this node now runs \(work.rawValue)" : "another node runs \(work.rawValue) now", metadata: ["node": "\(holder)"])
            }
            return acquired
        } catch {
            // Unsure whether the lease is still ours: stop the work rather than risk running it twice.
            held.withLock { _ = $0.removeValue(forKey: work) }
            logger.warning("could not take or renew a lease", metadata: ["lease": "\(work.rawValue)", "error": "\(error)"])
            return false
        }
    }

    private func milliseconds(_ duration: Duration) -> Int64 { Int64(duration / .milliseconds(1)) }
}
