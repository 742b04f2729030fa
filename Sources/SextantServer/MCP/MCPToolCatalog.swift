import SextantCore

/// The stores the tools read and write: the same ones, and the same representations, as the Data
/// API and the dashboard's reads, so an agent sees exactly what a person does.
struct MCPToolContext: Sendable {
    let tenancy: any TenancyStore
    let issues: any IssueStore
    let signals: any SignalStore
    let insights: any InsightStore
    let analytics: any AnalyticsStore
    let logs: any LogStore
    let monitors: any MonitorStore
    let telemetry: any TelemetryStore
    let clock: WallClock

    /// The project a call reads: the named one, which must belong to the caller's organization,
    /// or the organization's only project.
    func project(_ call: MCPToolCall) async throws -> Project {
        let mine = try await tenancy.projects().filter { $0.organizationID == call.principal.organizationID }
        let slugs = mine.map(\.slug).sorted().joined(separator: ", ")
        if let slug = try call.arguments.string("project") {
            guard let project = mine.first(where: { $0.slug == slug }) else {
                throw MCPToolError(message: "no project \(slug) in this organization; its projects: \(slugs)")
            }
            return project
        }
        guard mine.count == 1 else { throw MCPToolError(message: "project is required; this organization's projects: \(slugs)") }
        return mine[0]
    }

    func cursor(_ call: MCPToolCall) throws -> PageCursor? {
        guard let text = try call.arguments.string("cursor") else { return nil }
        guard let cursor = PageCursorCoding.decode(text) else { throw MCPToolError(message: "cursor is not one this server gave") }
        return cursor
    }

    func issue(_ call: MCPToolCall) async throws -> Issue {
        let id = try call.arguments.requiredString("issue_id")
        guard let issue = try await issues.issue(id: id, organizationID: call.principal.organizationID) else {
            throw MCPToolError(message: "no issue \(id) in this organization")
        }
        return issue
    }
}

/// Builds a tool result object.
func resultObject(_ build: (inout JSONWriter) -> Void) -> JSONWriter {
    var writer = JSONWriter()
    writer.beginObject()
    build(&writer)
    writer.endObject()
    return writer
}

enum MCPToolCatalog {
    static func tools(_ context: MCPToolContext) -> [MCPTool] {
        MCPIssueTools.tools(context) + MCPAnalyticsTools.tools(context) + MCPOperationsTools.tools(context)
    }
}
