import Foundation

/// `slow_endpoint` issues, one per endpoint.
public enum EndpointIssues {
    public static func slow(_ endpoint: EndpointComparison, at now: Int64) -> IssueOccurrence {
        IssueOccurrence(
            kind: .slowEndpoint, fingerprint: "endpoint:" + endpoint.name, subject: endpoint.name,
            title: "Slow endpoint \(endpoint.name): p95 \(Int(endpoint.p95)) ms",
            description: "p95 rose from \(Int(endpoint.baselineP95)) ms over the previous 7 days to \(Int(endpoint.p95)) ms in the last hour (\(endpoint.count) requests).",
            culprit: endpoint.name, level: "warning", ts: now)
    }
}
