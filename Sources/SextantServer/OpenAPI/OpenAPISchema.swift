import SextantCore

/// JSON Schema pieces for the OpenAPI document, with the same ranges the decoders enforce
/// (`WireRange`), so clients and fuzzers learn from it what the server accepts.
enum OpenAPISchema {
    static func string(_ description: String? = nil, values: [String]? = nil, format: String? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["type": .string("string")]
        if let description { members["description"] = .string(description) }
        if let values { members["enum"] = .array(values.map(JSONValue.string)) }
        if let format { members["format"] = .string(format) }
        return .object(members)
    }

    static func integer(_ range: ClosedRange<Int64>? = nil, _ description: String? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["type": .string("integer")]
        if let range {
            members["minimum"] = .number(Double(range.lowerBound))
            members["maximum"] = .number(Double(range.upperBound))
        }
        if let description { members["description"] = .string(description) }
        return .object(members)
    }

    static func number(_ range: ClosedRange<Double>) -> JSONValue {
        .object(["type": .string("number"), "minimum": .number(range.lowerBound), "maximum": .number(range.upperBound)])
    }

    static let boolean: JSONValue = .object(["type": .string("boolean")])
    static let anyObject: JSONValue = .object(["type": .string("object")])
    static let timestamp = integer(WireRange.timestampMs, "Unix milliseconds")
    static let isoTimestamp = string("ISO 8601 date-time", format: "date-time")

    static func array(_ items: JSONValue, min: Int? = nil, max: Int? = nil) -> JSONValue {
        var members: [String: JSONValue] = ["type": .string("array"), "items": items]
        if let min { members["minItems"] = .number(Double(min)) }
        if let max { members["maxItems"] = .number(Double(max)) }
        return .object(members)
    }

    static func object(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        var members: [String: JSONValue] = ["type": .string("object"), "properties": .object(properties)]
        if !required.isEmpty { members["required"] = .array(required.map(JSONValue.string)) }
        return .object(members)
    }

    /// `{"error": "..."}` and the protocols' own error envelopes: always an object.
    static let error = object(["error": .object([:])])

    // MARK: Query parameters

    struct Parameter {
        var name: String
        var schema: JSONValue
        var required = false
    }

    static let app = Parameter(name: "app", schema: string("Project slug"))
    /// Query times: Unix milliseconds, an ISO 8601 date (a `to` date is its whole day) or date-time.
    static let queryTime: JSONValue = .object(["oneOf": .array([timestamp, string(format: "date"), string(format: "date-time")])])
    static let from = Parameter(name: "from", schema: queryTime)
    static let to = Parameter(name: "to", schema: queryTime)
    static func limit(_ maximum: Int64) -> Parameter { Parameter(name: "limit", schema: integer(1...maximum, "Clamped to at most \(maximum)")) }
    static let cursor = Parameter(name: "cursor", schema: string("Opaque cursor from the previous page"))
    static let issueStatus = Parameter(name: "status", schema: string(values: IssueStatus.allCases.map(\.rawValue)))

    static let flagParameters = ["projectId", "userId", "attributes"].map { Parameter(name: $0, schema: string()) }

    static let queryParameters: [String: [Parameter]] = [
        "get /v1/query/events": [app, from, to, .init(name: "type", schema: string(values: EventType.allCases.map(\.rawValue))),
                                 .init(name: "name", schema: string()), .init(name: "name_contains", schema: string()),
                                 .init(name: "prop", schema: string("key=value on a top-level property")), .init(name: "user", schema: string()),
                                 .init(name: "session", schema: string()), limit(500)],
        "get /v1/query/users": [app, .init(name: "user", schema: string()), from, to, limit(500)],
        "get /v1/query/sessions": [
            app, .init(name: "user", schema: string()), from, to, limit(500), .init(name: "has_replay", schema: boolean),
            .init(name: "has_errors", schema: boolean), .init(name: "min_duration", schema: integer(0...(365 * 86_400), "seconds")), .init(name: "url", schema: string()),
            .init(name: "device", schema: string(values: DeviceInfo.Kind.allCases.map(\.rawValue))), .init(name: "browser", schema: string()),
        ],
        "get /v1/query/funnel": [app, from, to, .init(name: "steps", schema: string("Comma-separated event names"), required: true),
                                 .init(name: "window", schema: integer(WireRange.windowSeconds, "Seconds")),
                                 .init(name: "times", schema: string("true: each step's median_ms_to_convert", values: ["true", "false", "1", "0"])),
                                 .init(name: "dropoff", schema: integer(1...19, "List who reached this step (1-based) but not the next")),
                                 .init(name: "offset", schema: integer(0...1_000_000)), limit(1000)],
        "get /v1/query/aggregates": [app, from, to, limit(100)],
        "get /v1/query/trends": [app, from, to, .init(name: "event", schema: string("Comma-separated event names"), required: true),
                                 .init(name: "interval", schema: string(values: TrendInterval.allCases.map(\.rawValue))),
                                 .init(name: "measure", schema: string(values: TrendMeasure.allCases.map(\.rawValue))),
                                 .init(name: "breakdown", schema: string("type, url, name or props.KEY"))],
        "get /v1/query/retention": [app, from, to, .init(name: "start_event", schema: string(), required: true),
                                    .init(name: "return_event", schema: string(), required: true),
                                    .init(name: "period", schema: string(values: ["day", "week"])), .init(name: "periods", schema: integer(1...90))],
        "get /v1/query/paths": [app, from, to, .init(name: "start", schema: string(), required: true),
                                .init(name: "steps", schema: integer(1...10)), limit(200)],
        "get /v1/query/logs": [app, from, to, .init(name: "q", schema: string("Every word must match")),
                               .init(name: "level", schema: string(values: LogLevel.allCases.map(\.rawValue))),
                               .init(name: "environment", schema: string()), limit(500)],
        "get /v1/query/requests": [app, from, to, .init(name: "direction", schema: string(values: ["inbound", "outbound"]))],
        "get /v1/monitors": [app],
        "get /v1/query/db": [app, from, to, .init(name: "database_type", schema: string()), limit(500)],
        "get /v1/releases": [app, .init(name: "environment", schema: string())],
        "get /v1/query/traces": [app, from, to, .init(name: "service", schema: string()),
                                 .init(name: "min_duration_ms", schema: integer(0...Int64(WireRange.durationMs.upperBound))), limit(500)],
        "get /v1/traces/{trace_id}": [app],
        "get /v1/query/metrics": [app, from, to, .init(name: "name", schema: string("Without it: the metric names")),
                                  .init(name: "interval", schema: string("minute, hour, day, week or seconds"))],
        "get /v1/attachments": [app, .init(name: "event_id", schema: string(), required: true)],
        "post /api/{project_id}/envelope": [.init(name: "sentry_key", schema: string("The DSN's public key (browser SDKs)"))],
        "post /api/{project_id}/store": [.init(name: "sentry_key", schema: string("The DSN's public key (browser SDKs)"))],
        "get /api/v1/flags/evaluate": flagParameters,
        "get /api/v1/flags/{key}/evaluate": flagParameters,
        "get /v1/issues": [app, .init(name: "status", schema: string(values: [""] + IssueStatus.allCases.map(\.rawValue))),
                           .init(name: "kind", schema: string(values: IssueKind.allCases.map(\.rawValue))), from, to, limit(200), cursor],
        "get /v1/insights": [limit(100), cursor],
        "get /v1/signals": [limit(200), cursor],
        "get /v1/sessions/{id}/replay": [app],
        "get /v1/sessions/{id}/replay/{seq}": [app],
        "get /api/v1/issues": [.init(name: "limit", schema: integer(1...100)), issueStatus, cursor],
        "get /api/v1/signals": [.init(name: "limit", schema: integer(1...100)), cursor],
        "get /api/v1/insights": [.init(name: "limit", schema: integer(1...100)), cursor],
        "post /v1/replay": [.init(name: "session", schema: string(), required: true),
                            .init(name: "seq", schema: integer(1...WireRange.sequence.upperBound), required: true),
                            app, .init(name: "ts", schema: timestamp), .init(name: "key", schema: string("Ingest key (beacons)"))],
        "post /api/sdk/replay": [.init(name: "api_key", schema: string("Ingest key, when no header can be set"))],
        "get /oauth/authorize": ["client_id", "redirect_uri", "response_type", "code_challenge", "code_challenge_method", "scope", "state"]
            .map { Parameter(name: $0, schema: string()) },
    ]

    // MARK: Request bodies

    static let rrwebEvents = array(object(["type": integer(0...100), "timestamp": timestamp, "data": anyObject], required: ["type", "timestamp"]),
                                   max: 5_000)

    static func otlpExport(_ resources: String) -> JSONValue { object([resources: array(anyObject)]) }
    static let postHogBatch = object([
        "api_key": string(),
        "batch": array(object(["event": string(), "distinct_id": string(), "timestamp": string(format: "date-time"), "properties": anyObject],
                              required: ["event", "distinct_id"]), max: EventBatchDecoder.maximumEvents),
    ], required: ["api_key", "batch"])

    static let bodies: [String: JSONValue] = [
        "post /v1/traces": otlpExport("resourceSpans"),
        "post /v1/metrics": otlpExport("resourceMetrics"),
        "post /batch": postHogBatch, "post /e": postHogBatch, "post /i/v0/e": postHogBatch, "post /capture": postHogBatch,
        "post /track": postHogBatch, "post /s": postHogBatch,
        "post /v1/events": object([
            "app": string(), "key": string(),
            "events": array(object([
                "ts": timestamp, "type": string(values: EventType.allCases.map(\.rawValue)), "name": string(), "app": string(),
                "user_id": string(), "session_id": string(), "url": string(), "props": anyObject,
            ], required: ["ts", "type"]), max: EventBatchDecoder.maximumEvents),
        ], required: ["app", "key", "events"]),
        "post /v1/replay": rrwebEvents,
        "post /api/sdk/replay": object([
            "session": object(["id": string(), "windowId": string(), "startedAt": timestamp, "lastActivityAt": timestamp, "url": string()], required: ["id"]),
            "user": object(["anonymousId": string(), "id": string(), "properties": anyObject], required: ["anonymousId"]),
            "page": object(["url": string(), "referrer": string()], required: ["url"]),
            "replay": object(["events": rrwebEvents, "sequence": integer(0...WireRange.sequence.upperBound)], required: ["events", "sequence"]),
            "metadata": anyObject, "flush": string(values: ["normal", "final"]),
        ], required: ["session", "user", "page", "replay"]),
        "post /ingest/v1/replay": object([
            "fingerprint": string(), "sessionId": string(),
            "events": array(object(["eventType": string(), "eventData": string("JSON text"), "url": string(), "timestampMillis": timestamp],
                                   required: ["eventType", "eventData", "timestampMillis"]), min: 1),
        ], required: ["fingerprint", "sessionId", "events"]),
        "post /ingest/v1/errors": object([
            "exceptionClass": string(), "message": string(), "stackTrace": array(string()),
            "level": string(values: ["debug", "info", "warn", "error", "fatal", "warning"]), "environment": string(), "release": string(),
            "sessionId": string(), "traceId": string(), "user": anyObject, "metadata": anyObject, "requestContext": anyObject,
            "breadcrumbs": array(anyObject),
        ], required: ["exceptionClass", "message"]),
        "post /ingest/v1/logs": object([
            "level": string(values: LogLevel.allCases.map(\.rawValue)), "message": string(), "service": string(), "traceId": string(),
            "environment": string(), "spanId": string(), "requestId": string(), "userId": string(), "metadata": anyObject,
        ], required: ["level", "message"]),
        "post /ingest/v1/http-requests": object([
            "requests": array(object([
                "direction": string(values: ["inbound", "outbound"]), "method": string(values: ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
                "host": string(), "path": string(), "timestamp": isoTimestamp, "statusCode": integer(0...599), "durationMs": number(WireRange.durationMs),
                "requestSize": integer(WireRange.size), "responseSize": integer(WireRange.size), "traceId": string(), "userId": string(),
                "errorFingerprint": string(),
            ], required: ["direction", "method", "host", "path", "timestamp", "statusCode", "durationMs"]), min: 1, max: 100),
        ], required: ["requests"]),
        "post /ingest/v1/heartbeat": object([
            "slug": string(), "status": string(values: ["success", "failed"]), "durationMs": number(WireRange.durationMs), "message": string(),
        ], required: ["slug", "status"]),
        "post /ingest/v1/spans": object([
            "spans": array(object([
                "traceId": string(), "spanId": string(), "parentSpanId": string(), "operation": string(), "description": string(),
                "status": string(values: ["ok", "error", "timeout"]), "durationMs": number(WireRange.durationMs), "startTimeMillis": timestamp,
                "endTimeMillis": timestamp, "service": string(), "environment": string(), "tags": anyObject, "data": anyObject,
            ], required: ["traceId", "spanId"]), min: 1, max: 1_000),
        ], required: ["spans"]),
        "post /api/{project_id}/store": object([
            "event_id": string(), "timestamp": number(0...Double(WireRange.timestampMs.upperBound) / 1000), "level": string(), "platform": string(),
            "message": string(), "exception": anyObject, "release": string(), "environment": string(), "user": anyObject, "tags": anyObject,
            "contexts": anyObject, "breadcrumbs": anyObject, "fingerprint": array(string()),
        ], required: []),
        "post /mcp": object([
            "jsonrpc": string(values: ["2.0"]), "id": string("A string or a number; absent for a notification"),
            "method": string(values: ["initialize", "ping", "tools/list", "tools/call", "notifications/initialized"]), "params": anyObject,
        ], required: ["jsonrpc"]),
        "post /ingest/v1/releases": object([
            "version": string(), "environment": string(), "commitSha": string(), "branch": string(), "author": string(), "message": string(),
        ], required: ["version"]),
        "post /ingest/v1/sessions/start": object([
            "sessionId": string(), "release": string(), "environment": string(), "userId": string(), "sdkName": string(),
            "sdkVersion": string(), "platform": string(),
        ], required: ["sessionId", "release"]),
        "post /ingest/v1/sessions/end": object([
            "sessionId": string(), "status": string(values: ReleaseSessionStatus.allCases.map(\.rawValue)), "durationMs": number(WireRange.durationMs),
        ], required: ["sessionId", "status"]),
        "post /ingest/v1/db": object([
            "queries": array(object([
                "normalizedQuery": string(), "queryHash": string(), "queryType": string(), "durationMs": number(WireRange.durationMs),
                "timestampMillis": timestamp, "status": string(values: ["success", "error"]), "errorMessage": string(),
                "databaseName": string(), "databaseType": string(), "service": string(), "environment": string(), "traceId": string(),
                "spanId": string(), "parentSpanId": string(), "rowsAffected": integer(-1...WireRange.size.upperBound),
            ], required: ["normalizedQuery", "durationMs"]), min: 1, max: 100),
        ], required: ["queries"]),
        "post /v1/logs": object([
            "api_key": string(),
            "logs": array(object([
                "timestamp": isoTimestamp, "level": string(values: LogLevel.allCases.map(\.rawValue) + ["panic"]), "message": string(),
                "environment": string(), "service": string(), "project_id": string(), "trace_id": string(), "span_id": string(),
                "parent_span_id": string(), "privacy_mode": boolean, "metadata": anyObject,
                "error": object(["type": string(), "message": string(), "stack_trace": array(string()), "fingerprint": string()]),
            ], required: ["timestamp", "level", "message"]), max: LuminaLogBatch.maximumLogs),
        ], required: ["logs"]),
        "patch /v1/issues/{issueId}": object(["status": string(values: IssueStatus.allCases.map(\.rawValue))], required: ["status"]),
        "patch /api/v1/issues/{issueId}": object(["status": string(values: IssueStatus.allCases.map(\.rawValue))], required: ["status"]),
        "post /api/oauth/register": object([
            "client_name": string(), "redirect_uris": array(string(format: "uri"), min: 1),
            "token_endpoint_auth_method": string(values: ["none", "client_secret_basic", "client_secret_post"]), "scope": string(),
        ], required: ["redirect_uris"]),
        "post /api/oauth/token": object([
            "grant_type": string(values: ["authorization_code", "refresh_token", "client_credentials"]), "code": string(), "redirect_uri": string(),
            "code_verifier": string(), "refresh_token": string(), "scope": string(), "client_id": string(), "client_secret": string(),
        ], required: ["grant_type"]),
        "post /api/oauth/revoke": object(["token": string(), "client_id": string(), "client_secret": string()], required: ["token"]),
        "post /oauth/authorize": object([
            "client_id": string(), "redirect_uri": string(), "response_type": string(), "code_challenge": string(),
            "code_challenge_method": string(), "scope": string(), "state": string(), "consent_token": string(), "organization": string(),
            "decision": string(values: ["approve", "deny"]),
        ], required: ["client_id", "redirect_uri", "consent_token", "decision"]),
    ]

    // MARK: Responses

    /// The answers an operation can give beyond its success, by kind of route.
    static func responses(for operation: OpenAPIDocument.Operation) -> JSONValue {
        var statuses: [(Int, String)] = [(successStatus(operation), "Success")]
        let isIngest = operation.security == .ingestKey
        if operation.jsonBody || operation.formBody || !(queryParameters[key(operation)] ?? []).isEmpty {
            statuses.append((400, "Malformed request or a parameter out of range (the message names it)"))
        }
        if operation.security != .none { statuses.append((401, "Missing or invalid credentials")) }
        if isIngest {
            statuses += [(403, "Origin not allowed"), (413, "Body too large"), (429, "Rate limited (Retry-After)"),
                         (503, "Overloaded or shutting down (Retry-After)"), (507, "Disk space low (Retry-After)")]
            if operation.path.hasPrefix("/ingest/") { statuses.append((422, "Validation failed; details name each field")) }
        }
        if operation.path.contains("{") { statuses.append((404, "Not found")) }
        if operation.path == "/mcp" {
            statuses += [(202, "Only notifications or responses: accepted"), (403, "Origin not allowed"), (404, "Unknown or expired Mcp-Session-Id"),
                         (406, "Accept names neither application/json nor text/event-stream")]
        }
        if operation.security == .dashboard || operation.security == .bearer { statuses.append((429, "Too many requests (Retry-After)")) }
        var members: [String: JSONValue] = [:]
        for (status, description) in statuses {
            let schema = status < 300 ? anyObject : error
            members[String(status)] = status == 204
                ? .object(["description": .string(description)])
                : .object(["description": .string(description), "content": .object(["application/json": .object(["schema": schema])])])
        }
        return .object(members)
    }

    static func successStatus(_ operation: OpenAPIDocument.Operation) -> Int {
        switch (operation.method, operation.path) {
        case ("post", "/v1/events"), ("post", "/v1/replay"): 204
        case ("post", let path) where path.hasPrefix("/ingest/v1/"): 202
        case ("post", let path) where path.hasPrefix("/api/{project_id}/"): 200
        case ("post", "/api/oauth/register"): 201
        case ("post", "/oauth/authorize"): 302
        case ("get", "/mcp"): 405
        default: 200
        }
    }

    static func key(_ operation: OpenAPIDocument.Operation) -> String { "\(operation.method) \(operation.path)" }
}
