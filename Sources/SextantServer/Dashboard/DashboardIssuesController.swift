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
        reads.get("/issues/:issueId/activity", use: activity)
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
        var filter = IssueFilter(
            organizationID: nil, status: try query.status(), projectSlug: query.parameters.string("app"), kind: kind,
            after: try query.cursor(), limit: try query.limit(default: 50, maximum: 200),
            from: try query.parameters.time("from", endOfDay: false), to: try query.parameters.time("to", endOfDay: true))
        filter.search = query.parameters.string("q")
        if let text = query.parameters.string("sort") {
            guard let sort = IssueSort(rawValue: text) else { throw APIError.badRequest("sort must be one of: \(IssueSort.allCases.map(\.rawValue).joined(separator: ", "))") }
            filter.sort = sort
        }
        let page = try await issues.issues(filter)
        let counts = try await issues.statusCounts(filter)
        let base = publicBase.of(request)
        return .jsonObject { writer in
            DataAPIRepresentation.writeList("issues", page, into: &writer) { DataAPIRepresentation.write(issue: $0, previewBase: base, into: &$1) }
            // The triage tabs: every status under the same filters.
            writer.key("counts")
            writer.beginObject()
            for status in IssueStatus.allCases {
                writer.key(status.rawValue)
                writer.integer(counts[status] ?? 0)
            }
            writer.endObject()
        }
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

    /// Occurrences per day (every day of the range, or of the issue's first to last, zero-filled), the
    /// spread of each tag, and the latest occurrences.
    @Sendable func activity(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let issue = try await issues.issue(id: try context.parameters.decoded("issueId"), organizationID: nil) else {
            throw APIError.notFound("Issue not found")
        }
        let query = QueryParameters(request)
        let from = try query.time("from", endOfDay: false)
        let to = try query.time("to", endOfDay: true)
        let found = try await issues.activity(issueID: issue.id, from: from, to: to)
        return .jsonObject { writer in
            writer.key("days")
            writer.beginArray()
            for day in found.days {
                writer.beginObject()
                writer.key("day"); writer.string(day.day)
                writer.key("count"); writer.integer(day.count)
                writer.endObject()
            }
            writer.endArray()
            writer.key("tags")
            writer.beginArray()
            for breakdown in found.tags {
                writer.beginObject()
                writer.key("key"); writer.string(breakdown.key)
                writer.key("total"); writer.integer(breakdown.total)
                writer.key("values")
                writer.beginArray()
                for value in breakdown.values {
                    writer.beginObject()
                    writer.key("value"); writer.string(value.value)
                    writer.key("count"); writer.integer(value.count)
                    writer.endObject()
                }
                writer.endArray()
                writer.endObject()
            }
            writer.endArray()
            writer.key("occurrences")
            writer.beginArray()
            for occurrence in found.occurrences {
                writer.beginObject()
                writer.key("ts"); writer.integer(occurrence.ts)
                writer.key("event_id"); writer.integer(occurrence.eventID)
                writer.key("session_id"); writer.string(occurrence.sessionID)
                writer.key("user_id"); writer.string(occurrence.userID)
                writer.key("tags")
                writer.beginObject()
                for tag in occurrence.tags {
                    writer.key(tag.key)
                    writer.string(tag.value)
                }
                writer.endObject()
                writer.endObject()
            }
            writer.endArray()
        }
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
