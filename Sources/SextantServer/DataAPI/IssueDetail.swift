import SextantCore

/// An issue with what its page shows beyond the list: the steps to replicate, and the sample
/// occurrence's stack and trace id. Loaded once for the Data API, the dashboard and MCP alike.
struct IssueDetail: Sendable {
    var issue: Issue
    var steps: [String]?
    /// The sample occurrence's frames as its SDK sent them.
    var stack: [String]
    var traceID: String?

    static func load(_ issue: Issue, issues: any IssueStore, analytics: any AnalyticsStore) async throws -> IssueDetail {
        var sample: StoredEvent?
        if let eventID = issue.sampleEventID { sample = try await analytics.event(id: eventID) }
        let props = sample?.event.propsJSON.flatMap { try? JSONValue.parse($0) }
        var steps: [String]?
        if let session = issue.sampleSessionID, let ts = issue.sampleTs {
            let crumbs = try await issues.breadcrumbs(sessionID: session, projectSlug: issue.projectSlug, through: ts, limit: 20)
            steps = StepsToReplicate.steps(from: crumbs)
        }
        if steps == nil, sample != nil {
            steps = StepsToReplicate.steps(fromReported: props?["breadcrumbs"])
        }
        return IssueDetail(
            issue: issue, steps: steps, stack: ErrorOccurrences.stackLines(props?["stack"]),
            traceID: props?["traceId"]?.stringValue ?? props?["trace_id"]?.stringValue)
    }
}
