import Hummingbird
import SextantCore

/// Issues, insights and signals for the dashboard, behind the dashboard password. The Data API
/// refuses browser sessions by design (seed: lucent-data-api), so the dashboard reads its own
/// routes, in the Data API's shapes, across every organization.
struct DashboardIssuesController {
    let issues: any IssueStore
    let insights: any InsightStore
    let signals: any SignalStore
    let analytics: any AnalyticsStore
    let clock: WallClock
    let publicBase: PublicBase

    func register(in reads: RouterGroup<AppRequestContext>) {
        reads.get("/issues", use: list)
        reads.get("/issues/:issueId", use: detail)
        reads.patch("/issues/:issueId", use: update)
        reads.get("/insights", use: listInsights)
        reads.get("/signals", use: listSignals)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = DataAPIQuery(request)
        var kind: IssueKind?
        if let text = query.parameters.string("kind") {
            guard let parsed = IssueKind(rawValue: text) else { throw APIError.badRequest("kind must be one of: \(IssueKind.allCases.map(\.rawValue).joined(separator: ", "))") }
            kind = parsed
        }
        let filter = IssueFilter(
            organizationID: nil, status: try query.status(), projectSlug: query.parameters.string("app"), kind: kind,
            after: try query.cursor(), limit: try query.limit(default: 50, maximum: 200),
            from: try query.parameters.time("from", endOfDay: false), to: try query.parameters.time("to", endOfDay: true))
        let page = try await issues.issues(filter)
        let base = publicBase.of(request)
        return DataAPIRepresentation.list("issues", page) { DataAPIRepresentation.write(issue: $0, previewBase: base, into: &$1) }
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let issue = try await issues.issue(id: try context.parameters.decoded("issueId"), organizationID: nil) else {
            throw APIError.notFound("Issue not found")
        }
        return try await DataAPIController.detail(issue, request: request, issues: issues, analytics: analytics, publicBase: publicBase)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let patch = try DataAPIController.patch(from: Array(buffer: try await request.body.collect(upTo: 64 * 1024)))
        guard let issue = try await issues.updateIssue(
            id: try context.parameters.decoded("issueId"), organizationID: nil, patch: patch, now: clock.nowMilliseconds())
        else { throw APIError.notFound("Issue not found") }
        return try await DataAPIController.detail(issue, request: request, issues: issues, analytics: analytics, publicBase: publicBase)
    }

    @Sendable func listInsights(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = DataAPIQuery(request)
        let page = try await insights.insights(organizationID: nil, after: try query.cursor(), limit: try query.limit(default: 25, maximum: 100))
        return DataAPIRepresentation.list("insights", page) { DataAPIRepresentation.write(insight: $0, into: &$1) }
    }

    @Sendable func listSignals(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = DataAPIQuery(request)
        let page = try await signals.signals(organizationID: nil, after: try query.cursor(), limit: try query.limit(default: 50, maximum: 200))
        return DataAPIRepresentation.list("signals", page) { DataAPIRepresentation.write(signal: $0, into: &$1) }
    }
}
