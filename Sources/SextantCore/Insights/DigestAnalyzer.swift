import Foundation

/// The deterministic analyzers behind hourly and daily digests (API.md §8). Each finding carries
/// the numbers it rests on; no external service is involved.
public enum DigestAnalyzer {
    /// An error spike needs at least this many errors and this multiple of the 7-day baseline.
    public static let spikeMinimum: Int64 = 10
    public static let spikeFactor = 2.0
    /// A slow endpoint: p95 at least doubled, with enough requests on both sides to mean it.
    public static let slowFactor = 2.0
    public static let slowMinimumRequests: Int64 = 20

    public static func findings(_ inputs: DigestInputs) -> [InsightFinding] {
        var findings: [InsightFinding] = []
        let baseline = inputs.errorBaseline
        if inputs.errors >= spikeMinimum, Double(inputs.errors) >= spikeFactor * max(baseline, 1) {
            let ratio = Double(inputs.errors) / max(baseline, 1)
            findings.append(InsightFinding(
                analyzer: "error_spike", severity: ratio >= 5 ? .critical : .warning,
                summary: "\(inputs.errors) errors, \(rounded(ratio))× the usual \(rounded(baseline)) for this period.",
                evidence: .object(["errors": .number(Double(inputs.errors)), "baseline": .number(baseline)])))
        }
        if !inputs.newIssues.isEmpty {
            findings.append(issueFinding("new_issues", .warning, "\(inputs.newIssues.count) new issue\(plural(inputs.newIssues.count))", inputs.newIssues))
        }
        if !inputs.regressedIssues.isEmpty {
            findings.append(issueFinding(
                "regressions", .warning, "\(inputs.regressedIssues.count) resolved issue\(plural(inputs.regressedIssues.count)) came back",
                inputs.regressedIssues))
        }
        if !inputs.clickHotspots.isEmpty {
            findings.append(issueFinding("click_hotspots", .info, "Frustrated clicks on \(inputs.clickHotspots.count) target\(plural(inputs.clickHotspots.count))", inputs.clickHotspots))
        }
        if !inputs.failingMonitors.isEmpty {
            let names = inputs.failingMonitors.map { "\($0.slug) (\($0.status))" }.joined(separator: ", ")
            findings.append(InsightFinding(
                analyzer: "failing_monitors", severity: .critical, summary: "Cron monitors need attention: \(names).",
                evidence: .array(inputs.failingMonitors.map { .object(["slug": .string($0.slug), "status": .string($0.status)]) })))
        }
        let slow = slowEndpoints(inputs.endpoints)
        if !slow.isEmpty {
            let names = slow.prefix(3).map { "\($0.name) p95 \($0.p95.wholeText) ms (was \($0.baselineP95.wholeText) ms)" }.joined(separator: "; ")
            findings.append(InsightFinding(
                analyzer: "slow_endpoints", severity: .warning, summary: "Slower endpoints: \(names).",
                evidence: .array(slow.map { endpoint in
                    .object([
                        "endpoint": .string(endpoint.name), "p95Ms": .number(endpoint.p95), "baselineP95Ms": .number(endpoint.baselineP95),
                        "requests": .number(Double(endpoint.count)), "baselineRequests": .number(Double(endpoint.baselineCount)),
                    ])
                })))
        }
        return findings
    }

    public static func slowEndpoints(_ endpoints: [EndpointComparison]) -> [EndpointComparison] {
        endpoints.filter { endpoint in
            endpoint.count >= slowMinimumRequests && endpoint.baselineCount >= slowMinimumRequests && endpoint.baselineP95 > 0
                && endpoint.p95 >= slowFactor * endpoint.baselineP95
        }
    }

    /// The digest, or nil for an interval with no sessions and nothing found.
    public static func digest(
        _ inputs: DigestInputs, kind: Insight.Kind, id: String, organizationID: String, projectSlug: String, from: Int64, to: Int64, now: Int64
    ) -> Insight? {
        let findings = findings(inputs)
        guard inputs.sessions > 0 || !findings.isEmpty else { return nil }
        let period = kind == .dailyDigest ? "Daily" : "Hourly"
        let severity = findings.map(\.severity).max() ?? .info
        let preview = findings.isEmpty
            ? "\(inputs.sessions) session\(plural(Int(inputs.sessions))), no new problems."
            : "\(inputs.sessions) session\(plural(Int(inputs.sessions))). " + findings.map(\.summary).joined(separator: " ")
        var issueIDs: [String] = []
        for id in findings.flatMap(\.issueIDs) where !issueIDs.contains(id) { issueIDs.append(id) }
        return Insight(
            id: id, organizationID: organizationID, projectSlug: projectSlug, kind: kind, intervalStart: from, intervalEnd: to,
            sessionsCount: inputs.sessions, title: "\(period) digest for \(projectSlug)" + (findings.first.map { ": \($0.summary)" } ?? ""),
            severity: severity, contentPreview: preview, findings: findings, issueIDs: issueIDs, createdAt: now)
    }

    static func issueFinding(_ analyzer: String, _ severity: Insight.Severity, _ lead: String, _ issues: [Issue]) -> InsightFinding {
        let top = issues.prefix(3).map { "\($0.title) (×\($0.count))" }.joined(separator: "; ")
        return InsightFinding(
            analyzer: analyzer, severity: severity, summary: "\(lead): \(top).",
            evidence: .array(issues.map { .object(["id": .string($0.id), "title": .string($0.title), "count": .number(Double($0.count))]) }),
            issueIDs: issues.map(\.id))
    }

    static func rounded(_ value: Double) -> String { String(format: "%.1f", value) }
    static func plural(_ count: Int) -> String { count == 1 ? "" : "s" }
}
