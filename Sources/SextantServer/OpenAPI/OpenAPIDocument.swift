import SextantCore

/// The OpenAPI 3.1 description of every route (API.md §9). A test compares it with the router's
/// routes, so a route added without its entry here fails the build's tests.
enum OpenAPIDocument {
    enum Security: String {
        case none, ingestKey, dashboard, bearer, oauthClient
    }

    struct Operation {
        var method: String
        var path: String
        var tag: String
        var summary: String
        var security: Security
        var jsonBody = false
        var formBody = false
    }

    static let operations: [Operation] = [
        .init(method: "get", path: "/healthz", tag: "System", summary: "Health: 200 once migrations and configuration are applied; 503 while draining or while the database or blob bucket does not answer", security: .none),
        .init(method: "get", path: "/metrics", tag: "System", summary: "Prometheus metrics", security: .none),
        .init(method: "get", path: "/openapi.json", tag: "System", summary: "This document", security: .none),
        .init(method: "get", path: "/", tag: "Dashboard", summary: "The dashboard", security: .dashboard),
        .init(method: "get", path: "/assets/{file}", tag: "Dashboard", summary: "The dashboard's scripts and styles", security: .none),
        .init(method: "get", path: "/sdk.js", tag: "Dashboard", summary: "The browser SDK", security: .none),
        .init(method: "get", path: "/v1/issues", tag: "Dashboard", summary: "Issues across organizations (status, kind, app, q, sort, limit, cursor) with counts per status", security: .dashboard),
        .init(method: "get", path: "/v1/issues/{issueId}", tag: "Dashboard", summary: "One issue with its steps to replicate", security: .dashboard),
        .init(method: "patch", path: "/v1/issues/{issueId}", tag: "Dashboard", summary: "Change an issue's status", security: .dashboard, jsonBody: true),
        .init(method: "get", path: "/v1/insights", tag: "Dashboard", summary: "Insights across organizations", security: .dashboard),
        .init(method: "get", path: "/v1/issues/{issueId}/activity", tag: "Dashboard", summary: "An issue's occurrences by day and tag, and its latest 100 occurrences", security: .dashboard),
        .init(method: "get", path: "/logout", tag: "Dashboard", summary: "Sign out: the browser forgets the dashboard password", security: .none),
        .init(method: "get", path: "/v1/settings/projects", tag: "Settings", summary: "Projects with their active ingest keys and each key's Sentry DSN", security: .dashboard),
        .init(method: "post", path: "/v1/settings/projects", tag: "Settings", summary: "Create a project (slug, name, origins, organization_id) and its first key", security: .dashboard, jsonBody: true),
        .init(method: "post", path: "/v1/settings/projects/{slug}/keys", tag: "Settings", summary: "Add an ingest key to a project", security: .dashboard),
        .init(method: "delete", path: "/v1/settings/keys/{key}", tag: "Settings", summary: "Revoke an ingest key (not one from the configuration file)", security: .dashboard),
        .init(method: "get", path: "/v1/settings/tokens", tag: "Settings", summary: "Active Data API tokens (never the token itself)", security: .dashboard),
        .init(method: "post", path: "/v1/settings/tokens", tag: "Settings", summary: "Create a Data API token (name, scopes); the token is in this response only", security: .dashboard, jsonBody: true),
        .init(method: "delete", path: "/v1/settings/tokens/{id}", tag: "Settings", summary: "Revoke a Data API token", security: .dashboard),
        .init(method: "get", path: "/v1/monitors/{id}", tag: "Operations", summary: "One cron monitor with its latest runs", security: .dashboard),
        .init(method: "post", path: "/v1/settings/monitors", tag: "Settings", summary: "Create a cron monitor (app, slug, schedule, grace_seconds)", security: .dashboard, jsonBody: true),
        .init(method: "patch", path: "/v1/settings/monitors/{id}", tag: "Settings", summary: "Pause or resume a monitor ({paused: bool}); a heartbeat also resumes it", security: .dashboard, jsonBody: true),
        .init(method: "delete", path: "/v1/settings/monitors/{id}", tag: "Settings", summary: "Delete a monitor and its runs", security: .dashboard),
        .init(method: "get", path: "/v1/settings/signals", tag: "Settings", summary: "Signals with their match counts and sources", security: .dashboard),
        .init(method: "post", path: "/v1/settings/signals", tag: "Settings", summary: "Create or update a signal (app, name, prompt, match)", security: .dashboard, jsonBody: true),
        .init(method: "delete", path: "/v1/settings/signals/{id}", tag: "Settings", summary: "Delete a signal", security: .dashboard),
        .init(method: "get", path: "/v1/settings/webhooks", tag: "Settings", summary: "Webhooks and the events they can subscribe to", security: .dashboard),
        .init(method: "post", path: "/v1/settings/webhooks", tag: "Settings", summary: "Add a webhook (app, url, events)", security: .dashboard, jsonBody: true),
        .init(method: "delete", path: "/v1/settings/webhooks/{id}", tag: "Settings", summary: "Delete a webhook", security: .dashboard),
        .init(method: "post", path: "/v1/settings/webhooks/{id}/test", tag: "Settings", summary: "Send a test delivery now and report the receiver's answer", security: .dashboard),
        .init(method: "get", path: "/v1/signals", tag: "Dashboard", summary: "Signals across organizations", security: .dashboard),
        .init(method: "post", path: "/v1/events", tag: "spyglass", summary: "Ingest a batch of analytics events", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/v1/replay", tag: "spyglass", summary: "Upload one rrweb replay chunk", security: .ingestKey, jsonBody: true),
        .init(method: "get", path: "/v1/query/events", tag: "spyglass", summary: "Query events", security: .dashboard),
        .init(method: "get", path: "/v1/query/users", tag: "spyglass", summary: "Users with counts", security: .dashboard),
        .init(method: "get", path: "/v1/query/sessions", tag: "spyglass", summary: "Sessions with counts", security: .dashboard),
        .init(method: "get", path: "/v1/query/funnel", tag: "spyglass", summary: "Funnel conversion", security: .dashboard),
        .init(method: "get", path: "/v1/query/trends", tag: "Analytics", summary: "Counts or users per hour, day or week for each event, with an optional breakdown", security: .dashboard),
        .init(method: "get", path: "/v1/query/retention", tag: "Analytics", summary: "Cohorts by first start_event and how many did return_event in each later period", security: .dashboard),
        .init(method: "get", path: "/v1/query/paths", tag: "Analytics", summary: "The most common next events after a start event", security: .dashboard),
        .init(method: "get", path: "/v1/query/aggregates", tag: "spyglass", summary: "DAU, top events and pages, error events by day, and every source's errors by day with quiet days as zero", security: .dashboard),
        .init(method: "get", path: "/v1/sessions/{id}/replay", tag: "spyglass", summary: "A session's replay manifest", security: .dashboard),
        .init(method: "get", path: "/v1/sessions/{id}/replay/{seq}", tag: "spyglass", summary: "One replay chunk (gzip)", security: .dashboard),
        .init(method: "get", path: "/v1/incidents/{eventID}", tag: "spyglass", summary: "The replay slice around an error or bug report", security: .dashboard),
        .init(method: "post", path: "/api/sdk/replay", tag: "Lucent", summary: "Ingest a Lucent SDK replay batch", security: .ingestKey, jsonBody: true),
        .init(method: "get", path: "/api/v1/issues", tag: "Lucent Data API", summary: "List issues (limit, status, cursor)", security: .bearer),
        .init(method: "get", path: "/api/v1/issues/{issueId}", tag: "Lucent Data API", summary: "Fetch one issue", security: .bearer),
        .init(method: "patch", path: "/api/v1/issues/{issueId}", tag: "Lucent Data API", summary: "Update an issue's status (write:issues)", security: .bearer, jsonBody: true),
        .init(method: "get", path: "/api/v1/signals", tag: "Lucent Data API", summary: "List signals with match counts", security: .bearer),
        .init(method: "get", path: "/api/v1/insights", tag: "Lucent Data API", summary: "List insights", security: .bearer),
        .init(method: "get", path: "/.well-known/oauth-authorization-server", tag: "OAuth", summary: "Authorization server metadata (RFC 8414)", security: .none),
        .init(method: "get", path: "/.well-known/oauth-protected-resource", tag: "OAuth", summary: "Protected resource metadata (RFC 9728)", security: .none),
        .init(method: "get", path: "/oauth/authorize", tag: "OAuth", summary: "Consent page (authorization code with PKCE S256)", security: .dashboard),
        .init(method: "post", path: "/oauth/authorize", tag: "OAuth", summary: "Approve or deny an authorization request", security: .dashboard, formBody: true),
        .init(method: "post", path: "/api/oauth/token", tag: "OAuth", summary: "Token endpoint: authorization_code, refresh_token, client_credentials", security: .oauthClient, formBody: true),
        .init(method: "post", path: "/api/oauth/register", tag: "OAuth", summary: "Dynamic client registration (RFC 7591)", security: .none, jsonBody: true),
        .init(method: "post", path: "/api/oauth/revoke", tag: "OAuth", summary: "Token revocation (RFC 7009)", security: .oauthClient, formBody: true),
        .init(method: "post", path: "/ingest/v1/replay", tag: "SeeStack", summary: "Ingest semantic replay events", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/ingest/v1/errors", tag: "SeeStack", summary: "Ingest an error", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/ingest/v1/logs", tag: "SeeStack", summary: "Ingest a log line", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/ingest/v1/http-requests", tag: "SeeStack", summary: "Ingest HTTP telemetry", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/ingest/v1/heartbeat", tag: "SeeStack", summary: "Cron monitor heartbeat", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/ingest/v1/spans", tag: "SeeStack", summary: "Ingest trace spans", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/ingest/v1/releases", tag: "SeeStack", summary: "Register a release", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/ingest/v1/sessions/start", tag: "SeeStack", summary: "Start a release-health session", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/ingest/v1/sessions/end", tag: "SeeStack", summary: "End a release-health session", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/ingest/v1/db", tag: "SeeStack", summary: "Ingest timed database queries", security: .ingestKey, jsonBody: true),
        .init(method: "get", path: "/api/v1/flags/evaluate", tag: "Lucent Data API", summary: "Evaluate every feature flag (Sextant defines none: an empty set)", security: .bearer),
        .init(method: "get", path: "/api/v1/flags/{key}/evaluate", tag: "Lucent Data API", summary: "Evaluate one feature flag (always unknown: 404)", security: .bearer),
        .init(method: "post", path: "/v1/logs", tag: "LuminaLog", summary: "Ingest a batch of logs; a protobuf body, or JSON with resourceLogs, is an OTLP logs export", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/v1/traces", tag: "OpenTelemetry", summary: "OTLP/HTTP traces (protobuf or JSON); key in Authorization: Bearer, x-api-key or x-sextant-key", security: .ingestKey, jsonBody: true),
        .init(method: "post", path: "/v1/metrics", tag: "OpenTelemetry", summary: "OTLP/HTTP metrics: gauges, sums and histograms (protobuf or JSON)", security: .ingestKey, jsonBody: true),
        .init(method: "get", path: "/v1/query/metrics", tag: "OpenTelemetry", summary: "Metric names, or one metric in time buckets (name, interval)", security: .dashboard),
        .init(method: "get", path: "/v1/query/logs", tag: "LuminaLog", summary: "Search logs", security: .dashboard),
        .init(method: "get", path: "/v1/monitors", tag: "Operations", summary: "Cron monitors with their live status", security: .dashboard),
        .init(method: "get", path: "/v1/query/requests", tag: "Operations", summary: "HTTP endpoints with p50/p95/p99 and error counts", security: .dashboard),
        .init(method: "post", path: "/api/{project_id}/envelope", tag: "Sentry", summary: "Sentry envelope (events, transactions, check-ins, logs, sessions); DSN key in X-Sentry-Auth or ?sentry_key=", security: .ingestKey),
        .init(method: "post", path: "/api/{project_id}/store", tag: "Sentry", summary: "Sentry's older single-event endpoint", security: .ingestKey, jsonBody: true),
        .init(method: "get", path: "/v1/attachments", tag: "Sentry", summary: "Files sent with an event", security: .dashboard),
        .init(method: "get", path: "/v1/attachments/{id}", tag: "Sentry", summary: "Download one attachment (never rendered)", security: .dashboard),
        .init(method: "get", path: "/v1/query/traces", tag: "Operations", summary: "Traces, most recently started first", security: .dashboard),
        .init(method: "get", path: "/v1/traces/{trace_id}", tag: "Operations", summary: "One trace: its span tree, and the errors and logs with its id", security: .dashboard),
        .init(method: "post", path: "/mcp", tag: "MCP", summary: "MCP Streamable HTTP: JSON-RPC requests, notifications and batches (initialize, ping, tools/list, tools/call)", security: .bearer, jsonBody: true),
        .init(method: "delete", path: "/mcp", tag: "MCP", summary: "End the MCP session named by Mcp-Session-Id", security: .bearer),
        .init(method: "get", path: "/mcp", tag: "MCP", summary: "No server-initiated stream: 405, as the transport allows", security: .bearer),
        .init(method: "get", path: "/.well-known/oauth-protected-resource/mcp", tag: "OAuth", summary: "Protected resource metadata of /mcp (RFC 9728)", security: .none),
        .init(method: "get", path: "/v1/query/db", tag: "Operations", summary: "Database queries by normalized query, most total time first", security: .dashboard),
        .init(method: "get", path: "/v1/releases", tag: "Operations", summary: "Releases with session health and crash-free rate", security: .dashboard),
    ] + postHogOperations

    /// PostHog's capture endpoints share one body shape; the flag endpoints answer an empty set to anyone.
    static let postHogOperations: [Operation] = ["/batch", "/e", "/i/v0/e", "/capture", "/track", "/s"].map { path in
        .init(method: "post", path: path, tag: "PostHog",
              summary: "PostHog capture (an event, an array, or {api_key, batch}; gzip, lz64 or form-encoded data=); key as api_key, token or ?token=",
              security: .ingestKey, jsonBody: true)
    } + ["/flags", "/decide"].flatMap { path in
        ["get", "post"].map { method in
            .init(method: method, path: path, tag: "PostHog", summary: "PostHog feature flags: none enabled, recordings to /s/", security: .none)
        }
    }

    static let json: [UInt8] = {
        var writer = JSONWriter(reservingCapacity: 16_384)
        writer.beginObject()
        writer.key("openapi"); writer.string("3.1.0")
        writer.key("info")
        writer.value(.object(["title": .string("Sextant"), "version": .string("1.0.0"),
                              "description": .string("Self-hosted collector speaking the spyglass, Lucent, SeeStack and LuminaLog protocols.")]))
        writer.key("paths")
        writer.beginObject()
        var paths: [String] = []
        for operation in operations where !paths.contains(operation.path) { paths.append(operation.path) }
        for path in paths {
            writer.key(path)
            writer.beginObject()
            for operation in operations where operation.path == path {
                writer.key(operation.method)
                writer.value(describe(operation))
            }
            writer.endObject()
        }
        writer.endObject()
        writer.key("components")
        writer.value(.object(["securitySchemes": .object([
            "ingestKey": .object(["type": .string("apiKey"), "in": .string("header"), "name": .string("X-API-Key"),
                                  "description": .string("A project's ingest key; each protocol also takes its own header or body field.")]),
            "dashboard": .object(["type": .string("http"), "scheme": .string("basic"), "description": .string("The dashboard password, any user name.")]),
            "bearer": .object(["type": .string("http"), "scheme": .string("bearer"),
                               "description": .string("luc_api_, luc_oat_, luc_mcp_ or sx_api_ token with read:lucent or write:issues.")]),
            "oauthClient": .object(["type": .string("http"), "scheme": .string("basic"), "description": .string("OAuth client id and secret.")]),
        ])]))
        writer.endObject()
        return writer.bytes
    }()

    static func describe(_ operation: Operation) -> JSONValue {
        let key = OpenAPISchema.key(operation)
        var members: [String: JSONValue] = [
            "summary": .string(operation.summary), "tags": .array([.string(operation.tag)]),
            "operationId": .string(operationID(operation)), "responses": OpenAPISchema.responses(for: operation),
        ]
        members["security"] = operation.security == .none ? .array([]) : .array([.object([operation.security.rawValue: .array([])])])
        var parameters = pathParameters(operation.path).map { name in
            JSONValue.object([
                "name": .string(name), "in": .string("path"), "required": .bool(true),
                "schema": name == "seq" ? OpenAPISchema.integer(1...WireRange.sequence.upperBound) : OpenAPISchema.string(),
            ])
        }
        for parameter in OpenAPISchema.queryParameters[key] ?? [] {
            parameters.append(.object([
                "name": .string(parameter.name), "in": .string("query"), "required": .bool(parameter.required), "schema": parameter.schema,
            ]))
        }
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        if operation.jsonBody || operation.formBody {
            let type = operation.jsonBody ? "application/json" : "application/x-www-form-urlencoded"
            let schema = OpenAPISchema.bodies[key] ?? OpenAPISchema.anyObject
            members["requestBody"] = .object(["required": .bool(true), "content": .object([type: .object(["schema": schema])])])
        }
        return .object(members)
    }

    /// `get /v1/query/events` -> `get_v1_query_events`.
    static func operationID(_ operation: Operation) -> String {
        let words = operation.path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        return ([operation.method] + words).joined(separator: "_")
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }
}
