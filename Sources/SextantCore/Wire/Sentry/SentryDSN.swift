/// The DSN a Sentry SDK needs to send to Sextant: `scheme://KEY@host[:port]/PROJECT_ID`.
public enum SentryDSN {
    public static func make(key: String, base: String, projectID: Int64) -> String {
        let parts = base.split(separator: "://", maxSplits: 1)
        guard parts.count == 2 else { return "http://\(key)@\(base)/\(projectID)" }
        let host = parts[1].hasSuffix("/") ? parts[1].dropLast() : parts[1]
        return "\(parts[0])://\(key)@\(host)/\(projectID)"
    }
}
