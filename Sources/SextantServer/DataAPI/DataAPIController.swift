import Foundation
import Hummingbird
import SextantCore

/// Lucent's Data API (seed lucent-data-api, API.md §5): issues, signals and insights for bearer tokens.
struct DataAPIController {
    let guardian: DataAPIGuard
    let issues: any IssueStore
    let signals: any SignalStore
    let insights: any InsightStore
    let analytics: any AnalyticsStore
    let clock: WallClock
    let publicBase: PublicBase

    func register(in router: Router<AppRequestContext>) {
        router.get("/api/v1/issues", use: listIssues)
        router.get("/api/v1/issues/:issueId", use: getIssue)
        router.patch("/api/v1/issues/:issueId", use: patchIssue)
        router.get("/api/v1/signals", use: listSignals)
        router.get("/api/v1/insights", use: listInsights)
    }

    @Sendable func listIssues(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await guardian.guarded(request, access: .read, scope: .readLucent) { principal in
            let query = DataAPIQuery(request)
            let filter = IssueFilter(
                organizationID: principal.organizationID, status: try query.status(), after: try query.cursor(),
                limit: try query.limit(default: 25, maximum: 200))
            let page = try await issues.issues(filter)
            let base = publicBase.of(request)
            return DataAPIRepresentation.list("issues", page) { issue, writer in
                DataAPIRepresentation.write(issue: issue, previewBase: base, into: &writer)
            }
        }
    }

    @Sendable func getIssue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await guardian.guarded(request, access: .read, scope: .readLucent) { principal in
            let issue = try await findIssue(request, context: context, organizationID: principal.organizationID)
            return try await Self.detail(issue, request: request, issues: issues, analytics: analytics, publicBase: publicBase)
        }
    }

    @Sendable func patchIssue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await guardian.guarded(request, access: .write, scope: .writeIssues) { principal in
            let id = try context.parameters.decoded("issueId")
            let body = try await request.body.collect(upTo: 64 * 1024)
            let patch = try Self.patch(from: Array(buffer: body))
            guard let issue = try await issues.updateIssue(
                id: id, organizationID: principal.organizationID, patch: patch, now: clock.nowMilliseconds())
            else { throw APIError.notFound("Issue not found") }
            return try await Self.detail(issue, request: request, issues: issues, analytics: analytics, publicBase: publicBase)
        }
    }

    @Sendable func listSignals(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await guardian.guarded(request, access: .read, scope: .readLucent) { principal in
            let query = DataAPIQuery(request)
            let limit = try query.limit(default: 50, maximum: 200)
            let page = try await signals.signals(organizationID: principal.organizationID, after: try query.cursor(), limit: limit)
            return DataAPIRepresentation.list("signals", page) { DataAPIRepresentation.write(signal: $0, into: &$1) }
        }
    }

    @Sendable func listInsights(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await guardian.guarded(request, access: .read, scope: .readLucent) { principal in
            let query = DataAPIQuery(request)
            let limit = try query.limit(default: 25, maximum: 100)
            let page = try await insights.insights(organizationID: principal.organizationID, after: try query.cursor(), limit: limit)
            return DataAPIRepresentation.list("insights", page) { DataAPIRepresentation.write(insight: $0, into: &$1) }
        }
    }

    private func findIssue(_ request: Request, context: AppRequestContext, organizationID: String) async throws -> Issue {
        let id = try context.parameters.decoded("issueId")
        guard let issue = try await issues.issue(id: id, organizationID: organizationID) else { throw APIError.notFound("Issue not found") }
        return issue
    }

    /// One issue with its steps to replicate, stack and trace, for the Data API and the dashboard alike.
    static func detail(
        _ issue: Issue, request: Request, issues: any IssueStore, analytics: any AnalyticsStore, publicBase: PublicBase
    ) async throws -> Response {
        let detail = try await IssueDetail.load(issue, issues: issues, analytics: analytics)
        return DataAPIRepresentation.issueDetail(detail, previewBase: publicBase.of(request))
    }

    /// `{"status": …}` with optional ticket fields, with the seed's exact messages.
    static func patch(from bytes: [UInt8]) throws -> IssuePatch {
        guard let json = try? JSONValue.parse(bytes), json.objectValue != nil else {
            throw APIError.badRequest("Request body must be valid JSON")
        }
        guard let status = json["status"]?.stringValue.flatMap(IssueStatus.init(rawValue:)) else {
            throw APIError.badRequest("status must be one of: \(IssueStatus.listed)")
        }
        func text(_ key: String) throws -> String? {
            guard let value = json[key], !value.isNull else { return nil }
            guard let string = value.stringValue else { throw APIError.badRequest("\(key) must be a string") }
            return string
        }
        return IssuePatch(
            status: status, ticketProvider: try text("ticketProvider"), ticketURL: try text("ticketUrl"),
            ticketIdentifier: try text("ticketIdentifier"))
    }

    /// Where this server is reachable, as the client addressed it, for links back into the dashboard.
}
