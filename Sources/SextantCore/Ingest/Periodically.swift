import AsyncAlgorithms
import Logging
import ServiceLifecycle

/// The loop of every background service: one pass per interval until graceful shutdown. A failed
/// pass is logged and retried at the next interval; it never stops the service.
func periodically(every interval: Duration, immediately: Bool = false, logger: Logger, failure: String, _ pass: () async throws -> Void) async {
    func attempt() async {
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
