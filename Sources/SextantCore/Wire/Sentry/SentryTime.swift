/// Sentry's timestamps: seconds since the epoch (with a fraction) or RFC 3339 text.
enum SentryTime {
    static func milliseconds(_ value: JSONValue?) -> Int64? {
        switch value {
        case .number(let seconds)?: (seconds * 1000).int64(in: WireRange.timestampMs)
        case .string(let text)?: ISOTimestamp.parse(text).flatMap { WireRange.timestampMs.contains($0) ? $0 : nil }
        default: nil
        }
    }
}
