/// PostHog events in Sextant's model: `$pageview` is a pageview at `$current_url`; `$exception`
/// an error (its `$exception_list`, outermost first) grouped into issues; `$set`, `$set_once`
/// and the `$set`/`$set_once` of any event (`$identify` above all) the user's properties;
/// `$snapshot` rrweb data for the session's replay; every other event an event with its
/// properties. `distinct_id` is the user, `$session_id` the session.
public struct PostHogEvents: Sendable {
    public var events: [IngestEvent] = []
    public var userProperties: [UserPropertyUpdate] = []
    public var snapshots: [Snapshot] = []

    /// One `$snapshot` event's rrweb events, as a JSON array.
    public struct Snapshot: Sendable {
        public var sessionID: String
        public var userID: String
        public var events: [JSONValue]
    }

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    static let maximumNameLength = 200

    public static func map(_ payload: PostHogPayload, now: Int64) throws(Problem) -> PostHogEvents {
        var mapped = PostHogEvents()
        for (index, event) in payload.events.enumerated() {
            try mapped.add(event, at: index, sentAt: payload.sentAt, now: now)
        }
        return mapped
    }

    mutating func add(_ event: JSONValue, at index: Int, sentAt: Int64?, now: Int64) throws(Problem) {
        guard event.objectValue != nil else { throw Problem(description: "event \(index) is not an object") }
        guard let name = event["event"]?.stringValue, !name.isEmpty, name.utf8.count <= Self.maximumNameLength else {
            throw Problem(description: "event \(index): event must be a name of 1 to \(Self.maximumNameLength) bytes")
        }
        let properties = event["properties"]?.objectValue ?? [:]
        guard let userID = Self.text(event["distinct_id"] ?? properties["distinct_id"]) else {
            throw Problem(description: "event \(index): distinct_id is required")
        }
        let ts = Self.timestamp(event, sentAt: event["sent_at"]?.stringValue.flatMap(ISOTimestamp.parse) ?? sentAt, now: now)
        let sessionID = Self.text(properties["$session_id"])

        var update = UserPropertyUpdate(userID: userID, ts: ts)
        for source in [event.objectValue ?? [:], properties] {
            if let set = source["$set"]?.objectValue { update.set.merge(Scrubber.scrub(.object(set)).objectValue ?? [:]) { $1 } }
            if let setOnce = source["$set_once"]?.objectValue {
                update.setOnce.merge(Scrubber.scrub(.object(setOnce)).objectValue ?? [:]) { first, _ in first }
            }
        }
        if !update.isEmpty { userProperties.append(update) }

        switch name {
        case "$set", "$set_once":
            return
        case "$snapshot":
            let data = properties["$snapshot_items"] ?? properties["$snapshot_data"]
            let rrweb = data?.arrayValue ?? data.map { [$0] } ?? []
            guard let sessionID, !rrweb.isEmpty else { throw Problem(description: "event \(index): $snapshot needs $session_id and $snapshot_data") }
            snapshots.append(Snapshot(sessionID: sessionID, userID: userID, events: rrweb))
            return
        default:
            break
        }
        var kept = properties
        for key in ["$set", "$set_once", "token", "distinct_id"] { kept[key] = nil }
        let url = properties["$current_url"]?.stringValue.map(Scrubber.scrubText)
        if name == "$exception" {
            events.append(Self.error(properties: kept, userID: userID, sessionID: sessionID, url: url, ts: ts))
        } else {
            events.append(IngestEvent(
                ts: ts, type: name == "$pageview" ? .pageview : .event, name: name, userID: userID, sessionID: sessionID, url: url,
                propsJSON: kept.isEmpty ? nil : Scrubber.scrub(.object(kept)).jsonText))
        }
    }

    /// The props every error source shares (message, level, stack, chain, fingerprint), and the
    /// event's other properties beside them.
    static func error(properties: [String: JSONValue], userID: String, sessionID: String?, url: String?, ts: Int64) -> IngestEvent {
        let exceptions = properties["$exception_list"]?.arrayValue?.filter { $0.objectValue != nil } ?? []
        let primary = exceptions.first
        let type = primary?["type"]?.stringValue ?? properties["$exception_type"]?.stringValue ?? "Error"
        let message = primary?["value"]?.stringValue ?? properties["$exception_message"]?.stringValue ?? ""
        let frames = primary?["stacktrace"]?["frames"]?.arrayValue ?? []
        var props: [String: JSONValue] = [
            "message": .string(message), "level": .string(SentryEvent.level(properties["$exception_level"]?.stringValue)),
            "source": .string("posthog"),
            "stack": .array(SentryEvent.stackLines(primary?["stacktrace"], platform: frames.first?["platform"]?.stringValue).map(JSONValue.string)),
        ]
        if exceptions.count > 1 {
            // Oldest (the cause) first, as the Sentry chain is.
            props["chain"] = .array(exceptions.reversed().map { .object(["type": $0["type"] ?? .null, "value": $0["value"] ?? .null]) })
        }
        if let fingerprint = properties["$exception_fingerprint"]?.stringValue, !fingerprint.isEmpty { props["fingerprint"] = .string(fingerprint) }
        var rest = properties
        for key in ["$exception_list", "$exception_type", "$exception_message", "$exception_level", "$exception_fingerprint"] { rest[key] = nil }
        if !rest.isEmpty { props["properties"] = Scrubber.scrub(.object(rest)) }
        return IngestEvent(ts: ts, type: .error, name: type, userID: userID, sessionID: sessionID, url: url, propsJSON: JSONValue.object(props).jsonText)
    }

    /// The event's time: `timestamp` moved by how far the client's clock was off when it sent
    /// the batch (`sent_at` against now), else `offset` milliseconds ago, else now.
    static func timestamp(_ event: JSONValue, sentAt: Int64?, now: Int64) -> Int64 {
        if let stamp = event["timestamp"]?.stringValue.flatMap(ISOTimestamp.parse) ?? event["timestamp"]?.timestampMsValue {
            let corrected = sentAt.map { stamp + (now - $0) } ?? stamp
            return WireRange.timestampMs.contains(corrected) ? corrected : stamp
        }
        if let offset = event["offset"]?.numberValue?.int64(in: 0...now) { return now - offset }
        return now
    }

    /// Ids may come as numbers; bounded so that a key stays a key.
    static func text(_ value: JSONValue?) -> String? {
        let text = value?.stringValue ?? value?.numberValue.map(\.wholeText)
        guard let text, !text.isEmpty, text.utf8.count <= 200 else { return nil }
        return text
    }
}
