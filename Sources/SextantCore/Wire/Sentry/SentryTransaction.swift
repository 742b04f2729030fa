/// A Sentry `transaction` as spans: the transaction itself is the root span (`contexts.trace`),
/// followed by its child spans.
public enum SentryTransaction {
    public static func spans(_ transaction: JSONValue) throws -> [SpanRecord] {
        let trace = transaction["contexts"]?["trace"]
        guard let traceID = trace?["trace_id"]?.stringValue, !traceID.isEmpty, let rootID = trace?["span_id"]?.stringValue, !rootID.isEmpty else {
            throw SentryEnvelopeError("the transaction has no contexts.trace trace_id and span_id")
        }
        let service = transaction["server_name"]?.stringValue ?? transaction["tags"]?["service"]?.stringValue
        let environment = transaction["environment"]?.stringValue
        var root = span(
            traceID: traceID, spanID: rootID, parent: trace?["parent_span_id"]?.stringValue, operation: trace?["op"]?.stringValue,
            description: transaction["transaction"]?.stringValue, status: trace?["status"]?.stringValue,
            start: transaction["start_timestamp"], end: transaction["timestamp"], service: service, environment: environment)
        root.tagsJSON = transaction["tags"].flatMap { $0.objectValue == nil ? nil : Scrubber.scrub($0).jsonText }
        root.dataJSON = trace?["data"].flatMap { $0.objectValue == nil ? nil : Scrubber.scrub($0).jsonText }
        var spans = [root]
        for child in transaction["spans"]?.arrayValue ?? [] {
            guard let spanID = child["span_id"]?.stringValue, !spanID.isEmpty else { throw SentryEnvelopeError("a span has no span_id") }
            var record = span(
                traceID: child["trace_id"]?.stringValue ?? traceID, spanID: spanID, parent: child["parent_span_id"]?.stringValue ?? rootID,
                operation: child["op"]?.stringValue, description: child["description"]?.stringValue.map(Scrubber.scrubText),
                status: child["status"]?.stringValue, start: child["start_timestamp"], end: child["timestamp"], service: service,
                environment: environment)
            record.tagsJSON = child["tags"].flatMap { $0.objectValue == nil ? nil : Scrubber.scrub($0).jsonText }
            record.dataJSON = child["data"].flatMap { $0.objectValue == nil ? nil : Scrubber.scrub($0).jsonText }
            spans.append(record)
        }
        return spans
    }

    private static func span(
        traceID: String, spanID: String, parent: String?, operation: String?, description: String?, status: String?,
        start: JSONValue?, end: JSONValue?, service: String?, environment: String?
    ) -> SpanRecord {
        var record = SpanRecord(traceID: traceID, spanID: spanID)
        record.parentSpanID = parent
        record.operation = operation
        record.description = description
        record.status = status.map(spanStatus)
        record.startMs = SentryTime.milliseconds(start)
        record.endMs = SentryTime.milliseconds(end)
        if let startMs = record.startMs, let endMs = record.endMs, endMs >= startMs {
            record.durationMs = Double(endMs - startMs)
        }
        record.service = service
        record.environment = environment
        return record
    }

    /// Sentry's span statuses in the three SeeStack knows.
    static func spanStatus(_ status: String) -> String {
        switch status {
        case "ok": "ok"
        case "deadline_exceeded": "timeout"
        default: "error"
        }
    }
}
