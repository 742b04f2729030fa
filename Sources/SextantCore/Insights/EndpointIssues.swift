import Foundation

/// `slow_endpoint` issues, one per endpoint.
public enum EndpointIssues {
    public static func slow(_ endpoint: EndpointComparison, at now: Int64) -> IssueOccurrence {
        IssueOccurrence(
            kind: .slowEndpoint, fingerprint: "endpoint:" + endpoint.name, subject: endpoint.name,
            title: "Slow endpoint \(endpoint.name): p95 \(endpoint.p95.wholeText) ms",
            description: "p95 rose from \(endpoint.baselineP95.wholeText) ms over the previous 7 days to \(endpoint.p95.wholeText) ms in the last hour (\(endpoint.count) requests).",
            culprit: endpoint.name, level: "warning", ts: now)
    }
}
