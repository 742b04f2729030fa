import Foundation

/// `POST /v1/logs` in OTLP as Sextant log records: the resource's `service.name` and
/// `deployment.environment` become service and environment, severity the level, attributes the
/// metadata; `exception.*` attributes (what OTel's logging handlers set for `logger.exception`)
/// become the log's error, so the log groups into an issue like every other source's.
public struct OTLPLogsExport: Sendable {
    public var records: [LogRecord] = []
    public var rejected = OTLPRejections()

    public static func decode(_ bytes: [UInt8], encoding: OTLPEncoding, now: Int64) throws -> OTLPLogsExport {
        let request = try encoding.decode(OTLPExportLogsServiceRequest.self, from: bytes)
        var export = OTLPLogsExport()
        for resourceLogs in request.resourceLogs {
            let resource = OTLPResourceContext(resourceLogs.hasResource ? resourceLogs.resource : nil)
            for scopeLogs in resourceLogs.scopeLogs {
                let scope = scopeLogs.hasScope ? scopeLogs.scope.name : ""
                for log in scopeLogs.logRecords {
                    if let record = record(log, resource: resource, scope: scope, encoding: encoding, now: now, rejected: &export.rejected) {
                        export.records.append(record)
                    }
                }
            }
        }
        return export
    }

    static func record(
        _ log: OTLPLogRecord, resource: OTLPResourceContext, scope: String, encoding: OTLPEncoding, now: Int64, rejected: inout OTLPRejections
    ) -> LogRecord? {
        if (log.timeUnixNano > 0 && OTLPTime.milliseconds(log.timeUnixNano) == nil)
            || (log.observedTimeUnixNano > 0 && OTLPTime.milliseconds(log.observedTimeUnixNano) == nil) {
            rejected.reject("timeUnixNano is after the year 9999")
            return nil
        }
        let ts = OTLPTime.milliseconds(log.timeUnixNano) ?? OTLPTime.milliseconds(log.observedTimeUnixNano) ?? now
        let message = log.hasBody ? log.body.text ?? "" : log.eventName
        var record = LogRecord(ts: ts, level: level(log.severityNumber, text: log.severityText), message: Scrubber.scrubText(message), source: "otlp")
        record.service = resource.service
        record.environment = resource.environment
        record.traceID = encoding.identifier(log.traceID)
        record.spanID = encoding.identifier(log.spanID)
        record.userID = log.attributes.string("enduser.id") ?? log.attributes.string("user.id")
        var metadata = log.attributes.jsonObject
        let error = loggedError(metadata)
        for key in ["exception.type", "exception.message", "exception.stacktrace"] { metadata[key] = nil }
        if !scope.isEmpty { metadata["otel.scope"] = .string(scope) }
        if !log.eventName.isEmpty { metadata["event.name"] = .string(log.eventName) }
        if !resource.attributes.isEmpty { metadata["resource"] = .object(resource.attributes) }
        if let release = resource.release { metadata["service.version"] = .string(release) }
        record.metadataJSON = metadata.isEmpty ? nil : Scrubber.scrub(.object(metadata)).jsonText
        if let error {
            record.loggedError = error
            var object: [String: JSONValue] = ["stack": .array(error.stack.map(JSONValue.string))]
            if let type = error.type { object["type"] = .string(type) }
            if let message = error.message { object["message"] = .string(message) }
            record.errorJSON = JSONValue.object(object).jsonText
            record.errorText = ([error.type, error.message].compactMap { $0 } + error.stack).joined(separator: "\n")
        }
        return record
    }

    /// OTel's semantic-convention exception attributes as the error a log carries.
    static func loggedError(_ attributes: [String: JSONValue]) -> LoggedError? {
        let type = attributes["exception.type"]?.stringValue
        let message = attributes["exception.message"]?.stringValue
        let stack = attributes["exception.stacktrace"]?.stringValue
        guard type != nil || message != nil || stack != nil else { return nil }
        return LoggedError(type: type, message: message, stack: ErrorOccurrences.stackLines(stack.map(JSONValue.string)))
    }

    /// Severity numbers in OTel's ranges (TRACE 1–4 and DEBUG 5–8 are debug); without one, the text.
    static func level(_ severity: OTLPSeverityNumber, text: String) -> LogLevel {
        switch severity.rawValue {
        case 1...8: .debug
        case 9...12: .info
        case 13...16: .warn
        case 17...20: .error
        case 21...: .fatal
        default: LogLevel(wire: text) ?? (text.lowercased() == "trace" ? .debug : (text.lowercased() == "critical" ? .fatal : .info))
        }
    }
}
