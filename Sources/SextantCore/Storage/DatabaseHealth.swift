/// Whether the database answers a query, for `/healthz`.
public protocol DatabaseHealth: Sendable {
    /// Throws when the database cannot be read.
    func checkReachable() async throws
}
