import CSextantSystem
import Logging
import ServiceLifecycle

/// Hands freed heap memory back to the system every few seconds: after 1,000 requests with 1.9 MB
/// bodies, RSS otherwise stayed at the burst's peak for good.
public struct MemoryTrimmer: Service {
    let interval: Duration
    let logger: Logger

    public init(interval: Duration = .seconds(5), logger: Logger) {
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await periodically(every: interval, logger: logger, failure: "memory trim failed") { sextant_trim_malloc() }
    }
}
