/// What failing cron monitors raise (API.md §8): a `missed_heartbeat` issue per monitor, counted
/// once per missed or failed run and resolved by the next successful heartbeat, and an insight
/// when a run takes far longer than the runs before it.
public enum MonitorIssues {
    public static func fingerprint(monitorSlug: String) -> String { "monitor:" + monitorSlug }

    public static func missed(monitorSlug: String, expectedAt: Int64?, now: Int64) -> IssueOccurrence {
        IssueOccurrence(
            kind: .missedHeartbeat, fingerprint: fingerprint(monitorSlug: monitorSlug), subject: monitorSlug,
            title: "Monitor \(monitorSlug) missed its run",
            description: expectedAt.map { "No heartbeat arrived for the run due at \(ISOTimestamp.format($0)) or within its grace period." }
                ?? "No heartbeat arrived within the grace period.",
            culprit: monitorSlug, level: "error", ts: now)
    }

    public static func failed(monitorSlug: String, message: String?, ts: Int64) -> IssueOccurrence {
        let reason = message.map { ": \($0)" } ?? ""
        return IssueOccurrence(
            kind: .missedHeartbeat, fingerprint: fingerprint(monitorSlug: monitorSlug), subject: monitorSlug,
            title: "Monitor \(monitorSlug) failed\(String(reason.prefix(160)))",
            description: "The job reported a failed run\(reason)", culprit: monitorSlug, level: "error", ts: ts)
    }

    /// Runs that count as slow: more than 1.5 times the mean of the last 10 successful runs.
    public static let slowRunFactor = 1.5
    public static let slowRunWindow = 10

    public static func isSlow(durationMs: Double, previousSuccessfulDurations: [Double]) -> Bool {
        guard !previousSuccessfulDurations.isEmpty else { return false }
        let mean = previousSuccessfulDurations.reduce(0, +) / Double(previousSuccessfulDurations.count)
        return mean > 0 && durationMs > slowRunFactor * mean
    }

    public static func slowRunInsight(
        id: String, organizationID: String, projectSlug: String, monitorSlug: String, durationMs: Double, previous: [Double], ts: Int64
    ) -> Insight {
        let mean = previous.reduce(0, +) / Double(max(previous.count, 1))
        let ratio = durationMs / max(mean, 1)
        let summary = "Monitor \(monitorSlug) ran for \(durationMs.wholeText) ms, \(String(format1(ratio)))× its mean of \(mean.wholeText) ms over the last \(previous.count) successful runs."
        let finding = InsightFinding(
            analyzer: "slow_run", severity: ratio >= 3 ? .critical : .warning, summary: summary,
            evidence: .object([
                "monitor": .string(monitorSlug), "durationMs": .number(durationMs), "meanMs": .number(mean),
                "previousDurationsMs": .array(previous.map(JSONValue.number)),
            ]))
        return Insight(
            id: id, organizationID: organizationID, projectSlug: projectSlug, kind: .slowRun, intervalStart: ts, intervalEnd: ts,
            sessionsCount: 0, title: "Slow run of \(monitorSlug)", severity: finding.severity, contentPreview: summary, findings: [finding],
            issueIDs: [], createdAt: ts)
    }

    static func format1(_ value: Double) -> String {
        guard let tenths = Int64(exactly: (value * 10).rounded()) else { return value.wholeText }
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
