import AsyncAlgorithms
import Logging
import ServiceLifecycle

/// Sends one webhook body; the server supplies an HTTP client, tests a recorder.
public protocol WebhookTransport: Sendable {
    /// Throws when the receiver did not answer 2xx.
    func post(json body: String, to url: String) async throws
}

/// Delivers queued alerts with exponential backoff, outside any ingest path: a slow or failing
/// receiver delays only its own alerts.
public struct AlertDispatcher: Service {
    let store: any AlertStore
    let transport: any WebhookTransport
    let clock: WallClock
    let interval: Duration
    let logger: Logger
    /// Set in a server: the pass runs only on the node that holds this work's lease.
    let leases: LeaseKeeper?

    public init(
        store: any AlertStore, transport: any WebhookTransport, clock: WallClock, interval: Duration = .seconds(2), logger: Logger,
        leases: LeaseKeeper? = nil
    ) {
        self.store = store
        self.transport = transport
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.leases = leases
    }

    /// Attempts every alert that is due; returns how many were delivered.
    @discardableResult
    public func deliverDue() async throws -> Int {
        var delivered = 0
        for alert in try await store.dueAlerts(now: clock.nowMilliseconds(), limit: 50) {
            do {
                try await transport.post(json: alert.body, to: alert.url)
                try await store.markDelivered(id: alert.id, now: clock.nowMilliseconds())
                delivered += 1
            } catch {
                let attempt = alert.attempts + 1
                let now = clock.nowMilliseconds()
                let retryAt = attempt >= AlertMessage.maxAttempts ? nil : now + AlertMessage.backoffSeconds(afterAttempt: attempt) * 1000
                logger.warning("webhook delivery failed", metadata: ["url": "\(alert.url)", "attempt": "\(attempt)", "error": "\(error)"])
                try await store.markFailed(id: alert.id, error: "\(error)", retryAt: retryAt, now: now)
            }
        }
        return delivered
    }

    public func run() async throws {
        await periodically(every: interval, lease: leases.map { ($0, .alertDelivery) }, logger: logger, failure: "alert delivery pass failed") {
            try await deliverDue()
        }
    }
}
