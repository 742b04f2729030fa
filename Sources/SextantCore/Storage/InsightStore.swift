/// Digests and other insights, and the aggregates their analyzers read.
public protocol InsightStore: Sendable {
    func insights(organizationID: String?, after: PageCursor?, limit: Int) async throws -> Page<Insight>
    /// Stores the insight unless the project already has one of that kind for that interval; returns whether it was new.
    @discardableResult
    func save(_ insight: Insight, projectID: Int64) async throws -> Bool
    func hasInsight(projectID: Int64, kind: Insight.Kind, intervalStart: Int64) async throws -> Bool
    func digestInputs(projectID: Int64, from: Int64, to: Int64) async throws -> DigestInputs
}
