/// How often each background service runs, and how long a replay session must be quiet before
/// its clicks are judged. Operators rarely change these; tests lower them so that what a service
/// produces appears within a test's deadline instead of after a production-sized timer.
public struct BackgroundSettings: Sendable, Equatable, Decodable {
    public var replayAnalysisIntervalSeconds: Double = 15
    /// A replay session with no new chunk for this long is analyzed (final sessions at once).
    public var replayQuietSeconds: Double = 120
    public var insightIntervalSeconds: Double = 60
    public var monitorIntervalSeconds: Double = 10
    public var alertIntervalSeconds: Double = 2
    public var retentionIntervalSeconds: Double = 600

    public init() {}

    enum CodingKeys: String, CodingKey {
        case replayAnalysisIntervalSeconds = "replay_analysis_interval_seconds"
        case replayQuietSeconds = "replay_quiet_seconds"
        case insightIntervalSeconds = "insight_interval_seconds"
        case monitorIntervalSeconds = "monitor_interval_seconds"
        case alertIntervalSeconds = "alert_interval_seconds"
        case retentionIntervalSeconds = "retention_interval_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = BackgroundSettings()
        replayAnalysisIntervalSeconds = try c.decode(.replayAnalysisIntervalSeconds, or: defaults.replayAnalysisIntervalSeconds)
        replayQuietSeconds = try c.decode(.replayQuietSeconds, or: defaults.replayQuietSeconds)
        insightIntervalSeconds = try c.decode(.insightIntervalSeconds, or: defaults.insightIntervalSeconds)
        monitorIntervalSeconds = try c.decode(.monitorIntervalSeconds, or: defaults.monitorIntervalSeconds)
        alertIntervalSeconds = try c.decode(.alertIntervalSeconds, or: defaults.alertIntervalSeconds)
        retentionIntervalSeconds = try c.decode(.retentionIntervalSeconds, or: defaults.retentionIntervalSeconds)
    }

    /// Environment overrides, so a test harness can shorten timers without writing a file.
    static var environmentKeys: [(String, WritableKeyPath<BackgroundSettings, Double>)] { [
        ("SEXTANT_REPLAY_ANALYSIS_INTERVAL_SECONDS", \.replayAnalysisIntervalSeconds),
        ("SEXTANT_REPLAY_QUIET_SECONDS", \.replayQuietSeconds),
        ("SEXTANT_INSIGHT_INTERVAL_SECONDS", \.insightIntervalSeconds),
        ("SEXTANT_MONITOR_INTERVAL_SECONDS", \.monitorIntervalSeconds),
        ("SEXTANT_ALERT_INTERVAL_SECONDS", \.alertIntervalSeconds),
        ("SEXTANT_RETENTION_INTERVAL_SECONDS", \.retentionIntervalSeconds),
    ] }

    /// Every interval must be positive (a zero interval would spin) and bounded (a day at most);
    /// the quiet period may be zero.
    func validate() throws {
        for (name, keyPath) in Self.environmentKeys {
            let value = self[keyPath: keyPath]
            let floor = keyPath == \.replayQuietSeconds ? 0 : 0.05
            guard value.isFinite, value >= floor, value <= 86_400 else {
                throw ConfigurationError("background: \(name.dropFirst("SEXTANT_".count).lowercased()) must be between \(floor) and 86400 seconds, got \(value)")
            }
        }
    }
}
