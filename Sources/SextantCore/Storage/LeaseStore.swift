/// Named leases in the shared database: which node runs a piece of cluster-wide background work.
public protocol LeaseStore: Sendable {
    /// Takes or renews `name` for `holder` until `expiresAt`, in one atomic statement; true when
    /// `holder` has it now (it was free, expired, or already its own).
    func acquire(_ name: String, holder: String, expiresAt: Int64, now: Int64) async throws -> Bool
    /// Gives `name` up if `holder` has it, so another node may take it at once.
    func release(_ name: String, holder: String) async throws
}
