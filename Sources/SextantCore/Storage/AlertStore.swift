/// The webhook outbox: alerts are queued in the transaction that raised them and delivered later,
/// so a slow or dead webhook never blocks ingest and a restart loses none.
public protocol AlertStore: Sendable {
    func dueAlerts(now: Int64, limit: Int) async throws -> [PendingAlert]
    func markDelivered(id: Int64, now: Int64) async throws
    /// Records a failed attempt: retried at `retryAt`, or given up when nil.
    func markFailed(id: Int64, error: String, retryAt: Int64?, now: Int64) async throws
}
