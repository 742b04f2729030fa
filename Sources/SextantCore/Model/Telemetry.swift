/// One HTTP call seen by an SDK (SeeStack's http-requests).
public struct HTTPRequestRecord: Sendable, Equatable {
    public enum Direction: String, Sendable, CaseIterable { case inbound, outbound }

    public var ts: Int64
    public var traceID: String?
    public var direction: Direction
    public var method: String
    public var host: String
    public var path: String
    public var statusCode: Int
    public var durationMs: Double
    public var requestSize: Int64?
    public var responseSize: Int64?
    public var userID: String?
    public var errorFingerprint: String?

    public init(ts: Int64, direction: Direction, method: String, host: String, path: String, statusCode: Int, durationMs: Double) {
        self.ts = ts
        self.direction = direction
        self.method = method
        self.host = host
        self.path = path
        self.statusCode = statusCode
        self.durationMs = durationMs
    }
}

public struct HTTPRequestBatch: Sendable {
    public var projectID: Int64
    public var receivedAt: Int64
    public var requests: [HTTPRequestRecord]

    public init(projectID: Int64, receivedAt: Int64, requests: [HTTPRequestRecord]) {
        self.projectID = projectID
        self.receivedAt = receivedAt
        self.requests = requests
    }
}

/// A tracing span (SeeStack's SDKs send them).
public struct SpanRecord: Sendable, Equatable {
    public var traceID: String
    public var spanID: String
    public var parentSpanID: String?
    public var operation: String?
    public var description: String?
    public var status: String?
    public var durationMs: Double?
    public var startMs: Int64?
    public var endMs: Int64?
    public var service: String?
    public var environment: String?
    public var tagsJSON: String?
    public var dataJSON: String?

    public init(traceID: String, spanID: String) {
        self.traceID = traceID
        self.spanID = spanID
    }
}

public struct SpanBatch: Sendable {
    public var projectID: Int64
    public var receivedAt: Int64
    public var spans: [SpanRecord]

    public init(projectID: Int64, receivedAt: Int64, spans: [SpanRecord]) {
        self.projectID = projectID
        self.receivedAt = receivedAt
        self.spans = spans
    }
}

/// One endpoint's latency and errors over a period (`GET /v1/query/requests`).
public struct EndpointStats: Sendable, Equatable {
    public var method: String
    public var host: String
    public var path: String
    public var count: Int
    public var errorCount: Int
    public var p50: Double
    public var p95: Double
    public var p99: Double

    package init(method: String, host: String, path: String, count: Int, errorCount: Int, p50: Double, p95: Double, p99: Double) {
        self.method = method
        self.host = host
        self.path = path
        self.count = count
        self.errorCount = errorCount
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }
}

public struct EndpointFilter: Sendable, Equatable {
    public var time = TimeFilter()
    public var direction: HTTPRequestRecord.Direction?

    public init() {}
}
