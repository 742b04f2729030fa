import AsyncAlgorithms
import Logging
import ServiceLifecycle

/// The loop of every background service: one pass per interval until graceful shutdown. A failed
/// pass is logged and retried at the next interval; it never stops the service. Cluster-wide
/// work names its lease: a pass runs only on the node that holds it.
func periodically(
    every interval: Duration, immediately: Bool = false, lease: (keeper: LeaseKeeper, work: LeaseKeeper.Work)? = nil, logger: Logger,
    failure: String, _ pass: () async throws -> Void
) async {
    func attempt() async {
        if let lease, await !lease.keeper.hold(lease.work) { return }
        do {
            try await pass()
        } catch {
            logger.warning("\(failure)", metadata: ["error": "\(error)"])
        }
    }
    if immediately { await attempt() }
    for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
        await attempt()
    }
}
