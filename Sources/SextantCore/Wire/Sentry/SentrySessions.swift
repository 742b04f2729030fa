/// Sentry release health: one `session` update, or a `sessions` aggregate of counts per bucket,
/// as Sextant's release-health session updates.
public enum SentrySessions {
    /// Aggregates are expanded one row per session; a bucket past this many is clipped.
    public static let maximumPerBucket = 1_000

    public static func session(_ json: JSONValue, now: Int64) throws -> [ReleaseSessionUpdate] {
        guard let id = json["sid"]?.stringValue, !id.isEmpty else { throw SentryEnvelopeError("the session has no sid") }
        guard let release = json["attrs"]?["release"]?.stringValue, !release.isEmpty else { return [] }
        let started = SentryTime.milliseconds(json["started"]) ?? now
        var start = ReleaseSessionUpdate(sessionID: id, phase: .started(release: release), ts: started)
        start.environment = json["attrs"]?["environment"]?.stringValue
        start.userID = json["did"]?.stringValue
        var updates = [start]
        let errors = json["errors"]?.intValue ?? 0
        // Sentry counts a session that ended cleanly after errors as errored.
        if var status = json["status"]?.stringValue.flatMap(endStatus) {
            if errors > 0 { status = status.merged(with: .errored) }
            let duration = json["duration"]?.numberValue.map { $0 * 1000 }.flatMap { WireRange.durationMs.contains($0) ? $0 : nil }
            updates.append(ReleaseSessionUpdate(sessionID: id, phase: .ended(status: status, durationMs: duration),
                                                ts: SentryTime.milliseconds(json["timestamp"]) ?? now))
        } else if errors > 0 {
            updates.append(ReleaseSessionUpdate(sessionID: id, phase: .ended(status: .errored, durationMs: nil), ts: now))
        }
        return updates
    }

    public static func aggregates(_ json: JSONValue, now: Int64) throws -> [ReleaseSessionUpdate] {
        guard let release = json["attrs"]?["release"]?.stringValue, !release.isEmpty else { return [] }
        let environment = json["attrs"]?["environment"]?.stringValue
        var updates: [ReleaseSessionUpdate] = []
        for bucket in json["aggregates"]?.arrayValue ?? [] {
            let started = SentryTime.milliseconds(bucket["started"]) ?? now
            for (field, status) in [("exited", ReleaseSessionStatus.ok), ("errored", .errored), ("abnormal", .abnormal), ("crashed", .crashed)] {
                let count = min(max(bucket[field]?.intValue ?? 0, 0), maximumPerBucket)
                for index in 0..<count {
                    // Deterministic ids, so a retried aggregate counts once.
                    let id = "aggregate:\(started):\(bucket["did"]?.stringValue ?? ""):\(field):\(index)"
                    var start = ReleaseSessionUpdate(sessionID: id, phase: .started(release: release), ts: started)
                    start.environment = environment
                    start.userID = bucket["did"]?.stringValue
                    updates += [start, ReleaseSessionUpdate(sessionID: id, phase: .ended(status: status, durationMs: nil), ts: started)]
                }
            }
        }
        return updates
    }

    /// Sentry's `ok` is a session still running; `exited` is its clean end.
    static func endStatus(_ text: String) -> ReleaseSessionStatus? {
        switch text {
        case "exited": .ok
        case "errored": .errored
        case "abnormal": .abnormal
        case "crashed": .crashed
        default: nil
        }
    }
}
