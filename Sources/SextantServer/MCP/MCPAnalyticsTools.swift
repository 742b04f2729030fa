import Foundation
import SextantCore

/// Logs, events, sessions, funnels and aggregates of one project.
enum MCPAnalyticsTools {
    static func tools(_ context: MCPToolContext) -> [MCPTool] {
        [
            MCPTool(
                name: "search_logs", title: "Search logs",
                description: "Search a project's logs by words (all must match message or error), level, environment and time, newest first.",
                inputProperties: [
                    "project": MCPSchema.project, "query": MCPSchema.string("Words that must all match"),
                    "level": MCPSchema.string("Only this level", values: LogLevel.allCases.map(\.rawValue)),
                    "environment": MCPSchema.string("Only this environment"), "user_id": MCPSchema.string("Only this user's logs"),
                    "from": MCPSchema.from, "to": MCPSchema.to, "limit": MCPSchema.limit(500),
                ],
                required: [], output: ["logs": MCPSchema.array], readOnly: true, scope: .readLucent
            ) { call in
                let arguments = call.arguments
                var filter = LogFilter()
                filter.time = try arguments.timeFilter(projectSlug: try await context.project(call).slug)
                if let level = try arguments.string("level") {
                    guard let parsed = LogLevel(rawValue: level) else { throw MCPToolError(message: "level cannot be \(level)") }
                    filter.level = parsed
                }
                filter.environment = try arguments.string("environment")
                filter.userID = try arguments.string("user_id")
                filter.words = LogFilter.words(of: try arguments.string("query") ?? "")
                filter.limit = try arguments.limit(default: 50, maximum: 500)
                let found = try await context.logs.logs(filter)
                return resultObject { LuminaLogController.write(logs: found, into: &$0) }
            },
            MCPTool(
                name: "search_events", title: "Search events",
                description: "Search a project's product events (pageviews, custom events, errors, network calls) by type, name, user, session and time.",
                inputProperties: [
                    "project": MCPSchema.project, "type": MCPSchema.string("Only this type", values: EventType.allCases.map(\.rawValue)),
                    "name": MCPSchema.string("Only events of this name"), "user_id": MCPSchema.string("Only this user's events"),
                    "session_id": MCPSchema.string("Only this session's events"), "from": MCPSchema.from, "to": MCPSchema.to,
                    "limit": MCPSchema.limit(500),
                ],
                required: [], output: ["events": MCPSchema.array], readOnly: true, scope: .readLucent
            ) { call in
                let arguments = call.arguments
                var filter = EventFilter()
                filter.time = try arguments.timeFilter(projectSlug: try await context.project(call).slug)
                if let type = try arguments.string("type") {
                    guard let parsed = EventType(rawValue: type) else { throw MCPToolError(message: "type cannot be \(type)") }
                    filter.type = parsed
                }
                filter.name = try arguments.string("name")
                filter.userID = try arguments.string("user_id")
                filter.sessionID = try arguments.string("session_id")
                filter.limit = try arguments.limit(default: 100, maximum: 500)
                let events = try await context.analytics.events(filter)
                return resultObject { writer in
                    writer.key("events")
                    writer.beginArray()
                    for event in events { EventJSON.write(event, into: &writer) }
                    writer.endArray()
                }
            },
            MCPTool(
                name: "get_session_timeline", title: "Get a session's timeline",
                description: "Everything one session did, oldest first: pageviews, events, errors, network calls and its user's logs, with the replay link.",
                inputProperties: ["project": MCPSchema.project, "session_id": MCPSchema.string("The session's id"), "limit": MCPSchema.limit(1000)],
                required: ["session_id"], output: ["session": MCPSchema.object, "replayUrl": MCPSchema.nullableString, "timeline": MCPSchema.array],
                readOnly: true, scope: .readLucent
            ) { call in
                let project = try await context.project(call)
                let sessionID = try call.arguments.requiredString("session_id")
                let limit = try call.arguments.limit(default: 200, maximum: 1000)
                guard let session = try await context.analytics.session(id: sessionID, projectSlug: project.slug) else {
                    throw MCPToolError(message: "no session \(sessionID) in project \(project.slug)")
                }
                let events = try await context.analytics.sessionEvents(
                    projectID: project.id, sessionID: sessionID, from: session.startedAt, to: session.lastSeen)
                var logs: [StoredLog] = []
                if let user = session.userID {
                    var filter = LogFilter()
                    filter.time = TimeFilter(projectSlug: project.slug, from: session.startedAt, to: session.lastSeen)
                    filter.userID = user
                    filter.limit = limit
                    logs = try await context.logs.logs(filter)
                }
                let entries = MCPTimeline.entries(events: events, logs: logs).prefix(limit)
                let encoded = sessionID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(.init(charactersIn: "/?#"))) ?? sessionID
                return resultObject { writer in
                    writer.key("session"); EventJSON.write(session, into: &writer)
                    writer.key("replayUrl"); writer.string(session.chunkCount > 0 ? "\(call.publicBase)/sessions/\(encoded)" : nil)
                    writer.key("timeline")
                    writer.beginArray()
                    for entry in entries { writer.value(entry.json) }
                    writer.endArray()
                }
            },
            MCPTool(
                name: "run_funnel", title: "Run a funnel",
                description: "Count how many users reached each step, in order, of a funnel of event names (optionally within a window).",
                inputProperties: [
                    "project": MCPSchema.project,
                    "steps": .object(["type": .string("array"), "items": .object(["type": .string("string")]), "minItems": .number(2), "maxItems": .number(20),
                                      "description": .string("Event names, in order")]),
                    "window_seconds": MCPSchema.integer("Each walk must finish within this many seconds", minimum: WireRange.windowSeconds.lowerBound,
                                                        maximum: WireRange.windowSeconds.upperBound),
                    "from": MCPSchema.from, "to": MCPSchema.to,
                ],
                required: ["steps"], output: ["steps": MCPSchema.array], readOnly: true, scope: .readLucent
            ) { call in
                let steps = try call.arguments.stringList("steps").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard (2...20).contains(steps.count) else { throw MCPToolError(message: "steps needs between 2 and 20 event names") }
                let window = try call.arguments.integer("window_seconds", in: WireRange.windowSeconds)
                let filter = try call.arguments.timeFilter(projectSlug: try await context.project(call).slug)
                let counts = try await context.analytics.funnel(steps: steps, filter: filter, windowMs: window.map { $0 * 1000 })
                return resultObject { SpyglassQueryController.write(funnel: steps, counts: counts, into: &$0) }
            },
            MCPTool(
                name: "get_aggregates", title: "Get aggregates",
                description: "Daily active users, top events, top pages and errors per day of a project.",
                inputProperties: ["project": MCPSchema.project, "from": MCPSchema.from, "to": MCPSchema.to, "limit": MCPSchema.limit(100)],
                required: [], output: ["dau": MCPSchema.array, "top_events": MCPSchema.array, "top_pages": MCPSchema.array, "errors_by_day": MCPSchema.array,
                         "all_errors_by_day": MCPSchema.array],
                readOnly: true, scope: .readLucent
            ) { call in
                let filter = try call.arguments.timeFilter(projectSlug: try await context.project(call).slug)
                let result = try await context.analytics.aggregates(filter: filter, limit: try call.arguments.limit(default: 10, maximum: 100))
                return resultObject { SpyglassQueryController.write(aggregates: result, into: &$0) }
            },
        ]
    }
}

/// A session's events and logs merged into one time line.
enum MCPTimeline {
    struct Entry {
        let ts: Int64
        let json: JSONValue
    }

    static func entries(events: [StoredEvent], logs: [StoredLog]) -> [Entry] {
        let fromEvents = events.map { stored in
            let event = stored.event
            var members: [String: JSONValue] = [
                "ts": .number(Double(event.ts)), "kind": .string(event.type.rawValue), "name": .string(event.name), "eventId": .number(Double(stored.id)),
            ]
            members["url"] = event.url.map(JSONValue.string)
            members["props"] = event.propsJSON.flatMap { try? JSONValue.parse($0) }
            return Entry(ts: event.ts, json: .object(members))
        }
        let fromLogs = logs.map { log in
            var members: [String: JSONValue] = [
                "ts": .number(Double(log.record.ts)), "kind": .string("log"), "level": .string(log.record.level.rawValue),
                "message": .string(log.record.message),
            ]
            members["service"] = log.record.service.map(JSONValue.string)
            members["traceId"] = log.record.traceID.map(JSONValue.string)
            return Entry(ts: log.record.ts, json: .object(members))
        }
        return (fromEvents + fromLogs).sorted { $0.ts < $1.ts }
    }
}
