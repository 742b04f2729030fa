/// Sentry structured logs (`log` items: `{items: [{timestamp, level, body, trace_id, attributes}]}`).
public enum SentryLogs {
    public static func records(_ json: JSONValue, now: Int64) throws -> [LogRecord] {
        guard let items = json["items"]?.arrayValue else { throw SentryEnvelopeError("the log item has no items") }
        return try items.map { item in
            guard let body = item["body"]?.stringValue else { throw SentryEnvelopeError("a log has no body") }
            var attributes: [String: JSONValue] = [:]
            for (key, attribute) in item["attributes"]?.objectValue ?? [:] {
                attributes[key] = attribute["value"] ?? attribute
            }
            var record = LogRecord(ts: SentryTime.milliseconds(item["timestamp"]) ?? now, level: level(item["level"]?.stringValue),
                                   message: Scrubber.scrubText(body), source: "sentry")
            record.traceID = item["trace_id"]?.stringValue
            record.spanID = attributes["sentry.trace.parent_span_id"]?.stringValue
            record.environment = attributes["sentry.environment"]?.stringValue
            record.service = attributes["service.name"]?.stringValue ?? attributes["server.address"]?.stringValue
            record.userID = attributes["user.id"]?.stringValue
            if !attributes.isEmpty { record.metadataJSON = Scrubber.scrub(.object(attributes)).jsonText }
            return record
        }
    }

    static func level(_ text: String?) -> LogLevel {
        switch text {
        case "trace"?, "debug"?: .debug
        case "warn"?, "warning"?: .warn
        case "error"?: .error
        case "fatal"?: .fatal
        default: .info
        }
    }
}
