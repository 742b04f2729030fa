import SextantCore

/// Cron monitors, HTTP endpoints, database queries, releases and traces of one project.
enum MCPOperationsTools {
    static func tools(_ context: MCPToolContext) -> [MCPTool] {
        [
            MCPTool(
                name: "list_monitors", title: "List cron monitors",
                description: "List a project's cron monitors with their live status (healthy, late, missed, failed) and last run.",
                inputProperties: ["project": MCPSchema.project], required: [], output: ["monitors": MCPSchema.array], readOnly: true, scope: .readLucent
            ) { call in
                let found = try await context.monitors.monitors(projectSlug: try await context.project(call).slug)
                let now = context.clock.nowMilliseconds()
                return resultObject { OperationsReadController.write(monitors: found, now: now, into: &$0) }
            },
            MCPTool(
                name: "query_endpoints", title: "Query HTTP endpoints",
                description: "HTTP endpoints of a project with call counts, errors and p50/p95/p99 latency, slowest first.",
                inputProperties: [
                    "project": MCPSchema.project, "direction": MCPSchema.string("inbound or outbound calls", values: ["inbound", "outbound"]),
                    "from": MCPSchema.from, "to": MCPSchema.to,
                ],
                required: [], output: ["endpoints": MCPSchema.array], readOnly: true, scope: .readLucent
            ) { call in
                var filter = EndpointFilter()
                filter.time = try call.arguments.timeFilter(projectSlug: try await context.project(call).slug)
                if let direction = try call.arguments.string("direction") {
                    guard let parsed = HTTPRequestRecord.Direction(rawValue: direction) else { throw MCPToolError(message: "direction must be inbound or outbound") }
                    filter.direction = parsed
                }
                let stats = try await context.telemetry.endpoints(filter)
                return resultObject { OperationsReadController.write(endpoints: stats, into: &$0) }
            },
            MCPTool(
                name: "query_database", title: "Query database load",
                description: "A project's database queries by normalized statement: count, errors, total and p95 time, most total time first.",
                inputProperties: ["project": MCPSchema.project, "from": MCPSchema.from, "to": MCPSchema.to, "limit": MCPSchema.limit(500)],
                required: [], output: ["queries": MCPSchema.array], readOnly: true, scope: .readLucent
            ) { call in
                var filter = QueryStatsFilter()
                filter.time = try call.arguments.timeFilter(projectSlug: try await context.project(call).slug)
                filter.limit = try call.arguments.limit(default: 50, maximum: 500)
                let stats = try await context.telemetry.queries(filter)
                return resultObject { OperationsReadController.write(queries: stats, into: &$0) }
            },
            MCPTool(
                name: "list_releases", title: "List releases",
                description: "A project's releases, newest first, with their sessions by status and crash-free rate.",
                inputProperties: ["project": MCPSchema.project, "environment": MCPSchema.string("Only this environment")],
                required: [], output: ["releases": MCPSchema.array], readOnly: true, scope: .readLucent
            ) { call in
                let filter = ReleaseFilter(projectSlug: try await context.project(call).slug, environment: try call.arguments.string("environment"))
                let found = try await context.telemetry.releases(filter)
                return resultObject { OperationsReadController.write(releases: found, into: &$0) }
            },
            MCPTool(
                name: "get_trace", title: "Get a trace",
                description: "One trace of a project: its span tree with durations and status, and the errors and logs carrying its id.",
                inputProperties: ["project": MCPSchema.project, "trace_id": MCPSchema.string("The trace's id (errors and logs show it)")],
                required: ["trace_id"], output: ["trace_id": MCPSchema.string("The trace's id"), "spans": MCPSchema.array, "errors": MCPSchema.array,
                                                 "logs": MCPSchema.array],
                readOnly: true, scope: .readLucent
            ) { call in
                let traceID = try call.arguments.requiredString("trace_id")
                let project = try await context.project(call)
                guard let detail = try await TraceReadController.detail(
                    traceID: traceID, projectSlug: project.slug, telemetry: context.telemetry, analytics: context.analytics, logs: context.logs)
                else { throw MCPToolError(message: "no trace \(traceID) in project \(project.slug)") }
                return resultObject { TraceReadController.write(detail, into: &$0) }
            },
        ]
    }
}
