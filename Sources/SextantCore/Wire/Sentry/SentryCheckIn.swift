/// A Sentry cron `check_in`: which monitor, how the run went, and the monitor's configuration
/// when the SDK sends it (`sentry_sdk.crons` with `monitor_config` needs no setup).
public struct SentryCheckIn: Sendable, Equatable {
    public enum Status: String, Sendable { case inProgress = "in_progress", ok, error }

    public struct MonitorConfig: Sendable, Equatable {
        /// A cron expression or Sextant's `<N>m|h|d` interval.
        public var schedule: String
        public var graceSeconds: Int64
    }

    public var monitorSlug: String
    public var status: Status
    public var durationMs: Double?
    public var config: MonitorConfig?

    public static func parse(_ json: JSONValue) throws -> SentryCheckIn {
        guard let slug = json["monitor_slug"]?.stringValue, !slug.isEmpty else { throw SentryEnvelopeError("the check-in has no monitor_slug") }
        guard let status = json["status"]?.stringValue.flatMap(Status.init(rawValue:)) else {
            throw SentryEnvelopeError("the check-in's status must be in_progress, ok or error")
        }
        var checkIn = SentryCheckIn(monitorSlug: slug, status: status)
        if let seconds = json["duration"]?.numberValue {
            guard WireRange.durationMs.contains(seconds * 1000) else { throw SentryEnvelopeError("the check-in's duration is out of range") }
            checkIn.durationMs = seconds * 1000
        }
        if let config = json["monitor_config"], config.objectValue != nil {
            checkIn.config = MonitorConfig(schedule: try schedule(config["schedule"]), graceSeconds: try grace(config["checkin_margin"]))
        }
        return checkIn
    }

    init(monitorSlug: String, status: Status) {
        self.monitorSlug = monitorSlug
        self.status = status
    }

    static func schedule(_ value: JSONValue?) throws -> String {
        switch value?["type"]?.stringValue {
        case "crontab"?:
            guard let expression = value?["value"]?.stringValue, !expression.isEmpty else { throw SentryEnvelopeError("the crontab schedule has no value") }
            return expression
        case "interval"?:
            guard let count = value?["value"]?.int64Value, (1...100_000).contains(count) else {
                throw SentryEnvelopeError("the interval schedule's value must be a positive whole number")
            }
            switch value?["unit"]?.stringValue {
            case "minute"?: return "\(count)m"
            case "hour"?: return "\(count)h"
            case "day"?: return "\(count)d"
            case "week"?: return "\(count * 7)d"
            default: throw SentryEnvelopeError("the interval schedule's unit must be minute, hour, day or week")
            }
        default:
            throw SentryEnvelopeError("monitor_config.schedule must be a crontab or an interval")
        }
    }

    /// `checkin_margin` is in minutes; Sextant's grace defaults to five.
    static func grace(_ value: JSONValue?) throws -> Int64 {
        guard let value, !value.isNull else { return 300 }
        guard let minutes = value.int64Value, (0...525_600).contains(minutes) else {
            throw SentryEnvelopeError("monitor_config.checkin_margin must be minutes between 0 and 525600")
        }
        return minutes * 60
    }
}
