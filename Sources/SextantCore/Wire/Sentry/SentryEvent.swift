/// A Sentry `event` item (or a `store` body) as Sextant's error event: the exception raised last,
/// its chain, the stack as frame lines in the shape the grouping reads for that platform, and the
/// context an issue page shows. Frames arrive oldest-first, as Sentry sends them.
public enum SentryEvent {
    public static func errorEvent(_ event: JSONValue, now: Int64) -> IngestEvent {
        let exceptions = exceptionValues(event)
        let primary = exceptions.last
        let message = primary?["value"]?.stringValue
            ?? event["logentry"]?["formatted"]?.stringValue ?? event["logentry"]?["message"]?.stringValue
            ?? event["message"]?["formatted"]?.stringValue ?? event["message"]?.stringValue ?? ""
        let name = primary?["type"]?.stringValue ?? "Message"
        let platform = event["platform"]?.stringValue
        var props: [String: JSONValue] = [
            "message": .string(message), "level": .string(level(event["level"]?.stringValue)), "source": .string("sentry"),
            "stack": .array(stackLines(primary?["stacktrace"] ?? event["stacktrace"] ?? event["threads"]?["values"]?.arrayValue?.first?["stacktrace"],
                                       platform: platform).map(JSONValue.string)),
        ]
        if exceptions.count > 1 {
            props["chain"] = .array(exceptions.map { .object(["type": $0["type"] ?? .null, "value": $0["value"] ?? .null]) })
        }
        if let fingerprint = clientFingerprint(event["fingerprint"]) { props["fingerprint"] = .string(fingerprint) }
        for (key, field) in [("release", "release"), ("environment", "environment"), ("eventId", "event_id"), ("platform", "platform"),
                             ("transaction", "transaction"), ("serverName", "server_name")] {
            if let text = event[field]?.stringValue { props[key] = .string(text) }
        }
        props["traceId"] = event["contexts"]?["trace"]?["trace_id"].flatMap(\.stringValue).map(JSONValue.string)
        for key in ["user", "tags", "contexts", "request", "extra"] {
            if let value = event[key], !value.isNull { props[key] = Scrubber.scrub(value) }
        }
        if let crumbs = event["breadcrumbs"]?["values"] ?? event["breadcrumbs"], crumbs.arrayValue != nil {
            props["breadcrumbs"] = Scrubber.scrub(crumbs)
        }
        let user = event["user"]
        return IngestEvent(
            ts: SentryTime.milliseconds(event["timestamp"]) ?? now, type: .error, name: name,
            userID: user?["id"]?.stringValue ?? user?["email"]?.stringValue ?? user?["username"]?.stringValue,
            sessionID: event["contexts"]?["replay"]?["replay_id"]?.stringValue,
            url: event["request"]?["url"]?.stringValue.map(Scrubber.scrubText), propsJSON: JSONValue.object(props).jsonText)
    }

    /// `exception` is `{values: [...]}` or, in older SDKs, the list itself; oldest (the cause) first.
    static func exceptionValues(_ event: JSONValue) -> [JSONValue] {
        (event["exception"]?["values"] ?? event["exception"])?.arrayValue?.filter { $0.objectValue != nil } ?? []
    }

    /// Sentry's default grouping marker means "group as usual".
    static func clientFingerprint(_ value: JSONValue?) -> String? {
        let parts = value?.arrayValue?.compactMap { $0.stringValue ?? $0.numberValue.map { $0.wholeText } } ?? []
        guard !parts.isEmpty, parts != ["{{ default }}"] else { return nil }
        return parts.joined(separator: "\u{1F}")
    }

    static func level(_ text: String?) -> String {
        switch text {
        case "warning"?: "warn"
        case let level? where ["debug", "info", "error", "fatal"].contains(level): level
        default: "error"
        }
    }

    /// Python frames as traceback lines (outermost first, as the grouping expects of Python);
    /// every other platform's as `at function (file:line:column)`, innermost first.
    static func stackLines(_ stacktrace: JSONValue?, platform: String?) -> [String] {
        let frames = stacktrace?["frames"]?.arrayValue?.filter { $0.objectValue != nil } ?? []
        let python = platform == "python" || frames.contains { ($0["filename"]?.stringValue ?? "").hasSuffix(".py") }
        if python {
            return frames.map { frame in
                let file = frame["abs_path"]?.stringValue ?? frame["filename"]?.stringValue ?? frame["module"]?.stringValue ?? "?"
                let line = frame["lineno"]?.intValue.map { ", line \($0)" } ?? ""
                return "File \"\(file)\"\(line), in \(frame["function"]?.stringValue ?? "?")"
            }
        }
        return frames.reversed().map { frame in
            let file = frame["abs_path"]?.stringValue ?? frame["filename"]?.stringValue ?? frame["module"]?.stringValue ?? "?"
            let position = [frame["lineno"]?.intValue, frame["colno"]?.intValue].compactMap { $0 }.map { ":\($0)" }.joined()
            return "at \(frame["function"]?.stringValue ?? "?") (\(file)\(position))"
        }
    }
}
