import Foundation

/// `POST /v1/traces` in OTLP as Sextant spans, and each span event named `exception` (what
/// `span.record_exception` adds) as an error event, grouped into issues like every other source's.
public struct OTLPTracesExport: Sendable {
    public var spans: [SpanRecord] = []
    public var errors: [IngestEvent] = []
    public var rejected = OTLPRejections()

    public static func decode(_ bytes: [UInt8], encoding: OTLPEncoding, now: Int64) throws -> OTLPTracesExport {
        let request = try encoding.decode(OTLPExportTraceServiceRequest.self, from: bytes)
        var export = OTLPTracesExport()
        for resourceSpans in request.resourceSpans {
            let resource = OTLPResourceContext(resourceSpans.hasResource ? resourceSpans.resource : nil)
            for scopeSpans in resourceSpans.scopeSpans {
                let scope = scopeSpans.hasScope ? scopeSpans.scope.name : ""
                for span in scopeSpans.spans {
                    export.add(span, resource: resource, scope: scope, encoding: encoding, now: now)
                }
            }
        }
        return export
    }

    mutating func add(_ span: OTLPSpan, resource: OTLPResourceContext, scope: String, encoding: OTLPEncoding, now: Int64) {
        guard let traceID = encoding.identifier(span.traceID), let spanID = encoding.identifier(span.spanID) else {
            rejected.reject("a span has no traceId or spanId")
            return
        }
        let start = OTLPTime.milliseconds(span.startTimeUnixNano)
        let end = OTLPTime.milliseconds(span.endTimeUnixNano)
        if (span.startTimeUnixNano > 0 && start == nil) || (span.endTimeUnixNano > 0 && end == nil) {
            rejected.reject("a span time is after the year 9999")
            return
        }
        var record = SpanRecord(traceID: traceID, spanID: spanID)
        record.parentSpanID = encoding.identifier(span.parentSpanID)
        record.operation = Self.operation(span)
        record.description = span.name.isEmpty ? nil : Scrubber.scrubText(span.name)
        record.status = span.status.code == .error ? "error" : "ok"
        record.startMs = start
        record.endMs = end
        if span.endTimeUnixNano >= span.startTimeUnixNano, span.startTimeUnixNano > 0 {
            record.durationMs = Double(span.endTimeUnixNano - span.startTimeUnixNano) / 1_000_000
        }
        record.service = resource.service
        record.environment = resource.environment
        let attributes = span.attributes.jsonObject
        if !attributes.isEmpty { record.tagsJSON = Scrubber.scrub(.object(attributes)).jsonText }
        var data: [String: JSONValue] = ["kind": .string(Self.kindName(span.kind))]
        if !scope.isEmpty { data["otel.scope"] = .string(scope) }
        if !span.status.message.isEmpty { data["status.message"] = .string(span.status.message) }
        let otherEvents = span.events.filter { $0.name != "exception" }
        if !otherEvents.isEmpty {
            data["events"] = .array(otherEvents.map { event in
                .object(["name": .string(event.name), "ts": OTLPTime.milliseconds(event.timeUnixNano).map { .number(Double($0)) } ?? .null,
                         "attributes": .object(event.attributes.jsonObject)])
            })
        }
        record.dataJSON = JSONValue.object(data).jsonText
        spans.append(record)
        for event in span.events where event.name == "exception" {
            errors.append(Self.error(event, span: record, attributes: attributes, resource: resource, now: now))
        }
    }

    static func error(
        _ event: OTLPSpan.Event, span: SpanRecord, attributes: [String: JSONValue], resource: OTLPResourceContext, now: Int64
    ) -> IngestEvent {
        let exception = event.attributes.jsonObject
        let type = exception["exception.type"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "Exception"
        var props: [String: JSONValue] = [
            "message": .string(exception["exception.message"]?.stringValue ?? ""), "level": .string("error"), "source": .string("otlp"),
            "stack": .array(ErrorOccurrences.stackLines(exception["exception.stacktrace"]).map(JSONValue.string)),
            "traceId": .string(span.traceID), "spanId": .string(span.spanID),
        ]
        if let description = span.description { props["transaction"] = .string(description) }
        if let environment = resource.environment { props["environment"] = .string(environment) }
        if let release = resource.release { props["release"] = .string(release) }
        if let service = resource.service { props["service"] = .string(service) }
        if !attributes.isEmpty { props["tags"] = Scrubber.scrub(.object(attributes)) }
        let url = attributes["url.full"]?.stringValue ?? attributes["http.url"]?.stringValue
        return IngestEvent(
            ts: OTLPTime.milliseconds(event.timeUnixNano) ?? span.startMs ?? now, type: .error, name: type,
            userID: attributes["enduser.id"]?.stringValue ?? attributes["user.id"]?.stringValue,
            sessionID: attributes["session.id"]?.stringValue, url: url.map(Scrubber.scrubText), propsJSON: JSONValue.object(props).jsonText)
    }

    /// Sentry-style operation names from OTel's semantic conventions, so traces from both read alike.
    static func operation(_ span: OTLPSpan) -> String {
        let keys = Set(span.attributes.map(\.key))
        let kind = kindName(span.kind)
        if keys.contains("http.request.method") || keys.contains("http.method") {
            return span.kind == .client ? "http.client" : "http.server"
        }
        if keys.contains("db.system") || keys.contains("db.system.name") { return "db" }
        if keys.contains("messaging.system") { return "queue.\(kind)" }
        if keys.contains("rpc.system") { return "rpc.\(kind)" }
        return kind
    }

    static func kindName(_ kind: OTLPSpan.SpanKind) -> String {
        switch kind {
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        default: "internal"
        }
    }
}
