/// One trace in a list (`GET /v1/query/traces`): its root, its extent and its spans.
public struct TraceSummary: Sendable, Equatable {
    public var projectSlug: String
    public var traceID: String
    /// The root span's description or operation.
    public var name: String?
    public var service: String?
    public var startMs: Int64
    public var durationMs: Double
    public var spanCount: Int
    public var errorCount: Int

    package init(
        projectSlug: String, traceID: String, name: String? = nil, service: String? = nil,
        startMs: Int64, durationMs: Double, spanCount: Int, errorCount: Int
    ) {
        self.projectSlug = projectSlug
        self.traceID = traceID
        self.name = name
        self.service = service
        self.startMs = startMs
        self.durationMs = durationMs
        self.spanCount = spanCount
        self.errorCount = errorCount
    }
}

public struct TraceFilter: Sendable, Equatable {
    public var time = TimeFilter()
    public var service: String?
    public var minimumDurationMs: Double?
    public var limit = 50

    public init() {}
}

/// A stored span with the project it belongs to.
public struct StoredSpan: Sendable, Equatable {
    public var projectSlug: String
    public var span: SpanRecord

    package init(projectSlug: String, span: SpanRecord) {
        self.projectSlug = projectSlug
        self.span = span
    }
}
