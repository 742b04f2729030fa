import SextantCore

/// Projects, issues, signals and insights: the Data API's use cases.
enum MCPIssueTools {
    static func tools(_ context: MCPToolContext) -> [MCPTool] {
        [
            MCPTool(
                name: "list_projects", title: "List projects",
                description: "List the projects of your organization; other tools take a project slug from here.",
                inputProperties: [:], required: [], output: ["projects": MCPSchema.array], readOnly: true, scope: .readLucent
            ) { call in
                let projects = try await context.tenancy.projects().filter { $0.organizationID == call.principal.organizationID }
                return resultObject { writer in
                    writer.key("projects")
                    writer.beginArray()
                    for project in projects.sorted(by: { $0.slug < $1.slug }) {
                        writer.value(.object(["slug": .string(project.slug), "name": .string(project.name)]))
                    }
                    writer.endArray()
                }
            },
            MCPTool(
                name: "list_issues", title: "List issues",
                description: "List grouped issues (errors, rage and dead clicks, missed crons, slow endpoints), most recent first.",
                inputProperties: [
                    "status": MCPSchema.string("Only issues in this status", values: IssueStatus.allCases.map(\.rawValue)),
                    "kind": MCPSchema.string("Only issues of this kind", values: IssueKind.allCases.map(\.rawValue)),
                    "project": MCPSchema.project, "limit": MCPSchema.limit(100),
                    "cursor": MCPSchema.string("nextCursor of the previous page"),
                ],
                required: [], output: ["issues": MCPSchema.array, "nextCursor": MCPSchema.nullableString], readOnly: true, scope: .readLucent
            ) { call in
                let arguments = call.arguments
                func parsed<T: RawRepresentable & CaseIterable>(_ name: String, as: T.Type) throws -> T? where T.RawValue == String {
                    guard let text = try arguments.string(name) else { return nil }
                    guard let value = T(rawValue: text) else {
                        throw MCPToolError(message: "\(name) cannot be \(text); one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return value
                }
                let projectSlug = try arguments.string("project") == nil ? nil : try await context.project(call).slug
                let filter = IssueFilter(
                    organizationID: call.principal.organizationID, status: try parsed("status", as: IssueStatus.self), projectSlug: projectSlug,
                    kind: try parsed("kind", as: IssueKind.self), after: try context.cursor(call), limit: try arguments.limit(default: 25, maximum: 100))
                let page = try await context.issues.issues(filter)
                return resultObject { writer in
                    DataAPIRepresentation.writeList("issues", page, into: &writer) { issue, writer in
                        DataAPIRepresentation.write(issue: issue, previewBase: call.publicBase, into: &writer)
                    }
                }
            },
            MCPTool(
                name: "get_issue", title: "Get an issue",
                description: "Get one issue with its stack, steps to replicate, sample session (replay link) and trace id.",
                inputProperties: ["issue_id": MCPSchema.string("The issue's id")], required: ["issue_id"],
                output: ["issue": MCPSchema.object], readOnly: true, scope: .readLucent
            ) { call in
                let detail = try await IssueDetail.load(try await context.issue(call), issues: context.issues, analytics: context.analytics)
                return resultObject { writer in
                    writer.key("issue")
                    DataAPIRepresentation.write(detail: detail, previewBase: call.publicBase, into: &writer)
                }
            },
            MCPTool(
                name: "update_issue_status", title: "Update an issue's status",
                description: "Resolve, ignore or reopen an issue (needs the write:issues scope).",
                inputProperties: [
                    "issue_id": MCPSchema.string("The issue's id"),
                    "status": MCPSchema.string("The new status", values: IssueStatus.allCases.map(\.rawValue)),
                ],
                required: ["issue_id", "status"], output: ["issue": MCPSchema.object], readOnly: false, scope: .writeIssues
            ) { call in
                let text = try call.arguments.requiredString("status")
                guard let status = IssueStatus(rawValue: text) else {
                    throw MCPToolError(message: "status must be one of \(IssueStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let issue = try await context.issue(call)
                guard let updated = try await context.issues.updateIssue(
                    id: issue.id, organizationID: call.principal.organizationID, patch: IssuePatch(status: status), now: context.clock.nowMilliseconds())
                else { throw MCPToolError(message: "no issue \(issue.id) in this organization") }
                return resultObject { writer in
                    writer.key("issue")
                    writer.beginObject()
                    DataAPIRepresentation.write(issue: updated, previewBase: call.publicBase, into: &writer)
                    writer.endObject()
                }
            },
            MCPTool(
                name: "list_signals", title: "List signals",
                description: "List the configured signals (patterns that flag events, logs and errors) with their match counts.",
                inputProperties: ["limit": MCPSchema.limit(200), "cursor": MCPSchema.string("nextCursor of the previous page")],
                required: [], output: ["signals": MCPSchema.array, "nextCursor": MCPSchema.nullableString], readOnly: true, scope: .readLucent
            ) { call in
                let page = try await context.signals.signals(
                    organizationID: call.principal.organizationID, after: try context.cursor(call), limit: try call.arguments.limit(default: 50, maximum: 200))
                return resultObject { writer in
                    DataAPIRepresentation.writeList("signals", page, into: &writer) { DataAPIRepresentation.write(signal: $0, into: &$1) }
                }
            },
            MCPTool(
                name: "list_insights", title: "List insights",
                description: "List the hourly and daily digests: what changed, new and regressed issues, busiest sessions.",
                inputProperties: ["limit": MCPSchema.limit(100), "cursor": MCPSchema.string("nextCursor of the previous page")],
                required: [], output: ["insights": MCPSchema.array, "nextCursor": MCPSchema.nullableString], readOnly: true, scope: .readLucent
            ) { call in
                let page = try await context.insights.insights(
                    organizationID: call.principal.organizationID, after: try context.cursor(call), limit: try call.arguments.limit(default: 25, maximum: 100))
                return resultObject { writer in
                    DataAPIRepresentation.writeList("insights", page, into: &writer) { DataAPIRepresentation.write(insight: $0, into: &$1) }
                }
            },
        ]
    }
}
