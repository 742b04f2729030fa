/// A persisted digest of what happened in a project over an interval, with its evidence.
public struct Insight: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case hourlyDigest = "hourly_digest"
        case dailyDigest = "daily_digest"
        /// A monitor's run took far longer than its recent runs.
        case slowRun = "slow_run"
    }

    public enum Severity: String, Sendable, Comparable {
        case info, warning, critical

        var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }

    public var id: String
    public var organizationID: String
    public var projectSlug: String
    public var kind: Kind
    public var intervalStart: Int64
    public var intervalEnd: Int64
    public var sessionsCount: Int64
    public var title: String
    public var severity: Severity
    public var contentPreview: String
    public var findings: [InsightFinding]
    public var issueIDs: [String]
    public var createdAt: Int64

    public init(
        id: String, organizationID: String, projectSlug: String, kind: Kind, intervalStart: Int64, intervalEnd: Int64,
        sessionsCount: Int64, title: String, severity: Severity, contentPreview: String, findings: [InsightFinding],
        issueIDs: [String], createdAt: Int64
    ) {
        self.id = id
        self.organizationID = organizationID
        self.projectSlug = projectSlug
        self.kind = kind
        self.intervalStart = intervalStart
        self.intervalEnd = intervalEnd
        self.sessionsCount = sessionsCount
        self.title = title
        self.severity = severity
        self.contentPreview = contentPreview
        self.findings = findings
        self.issueIDs = issueIDs
        self.createdAt = createdAt
    }
}

/// One analyzer's conclusion and the numbers behind it.
public struct InsightFinding: Sendable, Equatable {
    public var analyzer: String
    public var severity: Insight.Severity
    public var summary: String
    public var evidence: JSONValue
    public var issueIDs: [String]

    public init(analyzer: String, severity: Insight.Severity, summary: String, evidence: JSONValue, issueIDs: [String] = []) {
        self.analyzer = analyzer
        self.severity = severity
        self.summary = summary
        self.evidence = evidence
        self.issueIDs = issueIDs
    }

    public var json: JSONValue {
        .object([
            "analyzer": .string(analyzer), "severity": .string(severity.rawValue), "summary": .string(summary), "evidence": evidence,
            "issueIds": .array(issueIDs.map(JSONValue.string)),
        ])
    }

    init?(json: JSONValue) {
        guard let analyzer = json["analyzer"]?.stringValue, let summary = json["summary"]?.stringValue else { return nil }
        self.analyzer = analyzer
        self.summary = summary
        severity = json["severity"]?.stringValue.flatMap(Insight.Severity.init(rawValue:)) ?? .info
        evidence = json["evidence"] ?? .null
        issueIDs = json["issueIds"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    public static func encode(_ findings: [InsightFinding]) -> String { JSONValue.array(findings.map(\.json)).jsonText }

    public static func decode(_ text: String) -> [InsightFinding] {
        (try? JSONValue.parse(text))?.arrayValue?.compactMap(InsightFinding.init(json:)) ?? []
    }
}
