/// One database query an SDK timed (allstak's `/ingest/v1/db`).
public struct DatabaseQueryRecord: Sendable, Equatable {
    public var ts: Int64
    /// SQL with its literals replaced by `?`: the grouping key, with `queryHash` when sent.
    public var normalizedQuery: String
    public var queryHash: String
    public var queryType: String
    public var durationMs: Double
    public var failed: Bool
    public var errorMessage: String?
    public var databaseName: String?
    public var databaseType: String?
    public var service: String?
    public var environment: String?
    public var traceID: String?
    public var spanID: String?
    public var parentSpanID: String?
    /// -1 when the driver does not know.
    public var rowsAffected: Int64?

    public init(ts: Int64, normalizedQuery: String, queryHash: String, queryType: String, durationMs: Double, failed: Bool) {
        self.ts = ts
        self.normalizedQuery = normalizedQuery
        self.queryHash = queryHash
        self.queryType = queryType
        self.durationMs = durationMs
        self.failed = failed
    }

    /// The statement kind from its first keyword, for clients that do not say.
    public static func queryType(of sql: String) -> String {
        let keyword = sql.drop { $0.isWhitespace || $0 == "(" }.prefix { $0.isLetter }.uppercased()
        return ["SELECT", "INSERT", "UPDATE", "DELETE"].contains(keyword) ? keyword : "OTHER"
    }
}

public struct DatabaseQueryBatch: Sendable {
    public var projectID: Int64
    public var receivedAt: Int64
    public var queries: [DatabaseQueryRecord]

    public init(projectID: Int64, receivedAt: Int64, queries: [DatabaseQueryRecord]) {
        self.projectID = projectID
        self.receivedAt = receivedAt
        self.queries = queries
    }
}

/// One normalized query's load over a period (`GET /v1/query/db`), Sentry's "Queries" view.
public struct QueryStats: Sendable, Equatable {
    public var projectSlug: String
    public var queryHash: String
    public var normalizedQuery: String
    public var queryType: String
    public var databaseType: String?
    public var databaseName: String?
    public var count: Int
    public var errorCount: Int
    public var totalMs: Double
    public var p50: Double
    public var p95: Double
    public var maxMs: Double
    public var lastSeen: Int64

    package init(
        projectSlug: String, queryHash: String, normalizedQuery: String, queryType: String, databaseType: String? = nil, databaseName: String? = nil, count: Int,
        errorCount: Int, totalMs: Double, p50: Double, p95: Double, maxMs: Double, lastSeen: Int64
    ) {
        self.projectSlug = projectSlug
        self.queryHash = queryHash
        self.normalizedQuery = normalizedQuery
        self.queryType = queryType
        self.databaseType = databaseType
        self.databaseName = databaseName
        self.count = count
        self.errorCount = errorCount
        self.totalMs = totalMs
        self.p50 = p50
        self.p95 = p95
        self.maxMs = maxMs
        self.lastSeen = lastSeen
    }

    public var averageMs: Double { count == 0 ? 0 : totalMs / Double(count) }
}

public struct QueryStatsFilter: Sendable, Equatable {
    public var time = TimeFilter()
    public var databaseType: String?
    public var limit = 100

    public init() {}
}
