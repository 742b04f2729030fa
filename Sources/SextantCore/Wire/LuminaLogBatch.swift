/// LuminaLog's `POST /v1/logs` body (API.md §7), validated all-or-nothing.
public struct LuminaLogBatch: Sendable {
    public var apiKey: String?
    public var records: [LogRecord]

    public init(apiKey: String?, records: [LogRecord]) {
        self.apiKey = apiKey
        self.records = records
    }

    public static let maximumLogs = 1_000
    public static let maximumMessageBytes = 10 * 1024
    public static let maximumMetadataBytes = 100 * 1024

    public enum DecodingError: Error, Equatable {
        case invalid(String)
        case tooManyLogs
    }

    public static func decode(_ body: some Collection<UInt8>) throws(DecodingError) -> LuminaLogBatch {
        var batch = LuminaLogBatch(apiKey: nil, records: [])
        var sawLogs = false
        do {
            try JSONScanner.withScanner(over: body) { scanner in
                guard scanner.peek() == UInt8(ascii: "{") else { throw DecodingError.invalid("body must be a JSON object") }
                try scanner.readObject { scanner, member in
                    switch member {
                    case "api_key":
                        batch.apiKey = try scanner.consumeNull() ? nil : try scanner.readString()
                    case "logs":
                        sawLogs = true
                        guard scanner.peek() == UInt8(ascii: "[") else { throw DecodingError.invalid("logs must be an array") }
                        try scanner.readArray { scanner, index in
                            guard index < maximumLogs else { throw DecodingError.tooManyLogs }
                            batch.records.append(try decodeLog(&scanner, index: index))
                        }
                    default:
                        try scanner.skipValue()
                    }
                }
                try scanner.expectEnd()
            }
        } catch let error as DecodingError {
            throw error
        } catch {
            throw .invalid("invalid JSON: \(error)")
        }
        guard sawLogs else { throw .invalid("logs is required") }
        return batch
    }

    private static func decodeLog(_ scanner: inout JSONScanner, index: Int) throws -> LogRecord {
        func invalid(_ message: String) -> DecodingError { .invalid("logs[\(index)]: \(message)") }
        guard scanner.peek() == UInt8(ascii: "{") else { throw invalid("must be an object") }
        var fields: [String: String] = [:]
        var metadata: JSONValue?
        var metadataBytes = 0
        var error: JSONValue?
        var privacyMode = false
        try scanner.readObject { scanner, member in
            switch member {
            case "metadata":
                let range = try scanner.skipValue()
                metadataBytes = range.count
                metadata = try JSONValue.parse(scanner.text(of: range))
            case "error":
                error = try scanner.readValue()
            case "privacy_mode":
                let value = try scanner.readValue()
                guard case .bool(let flag) = value else {
                    if value.isNull { return }
                    throw invalid("privacy_mode must be a boolean")
                }
                privacyMode = flag
            case "timestamp", "level", "message", "environment", "project_id", "trace_id", "span_id", "parent_span_id", "service":
                if try scanner.consumeNull() { return }
                guard scanner.peek() == UInt8(ascii: "\"") else { throw invalid("\(member) must be a string") }
                fields[member] = try scanner.readString()
            default:
                try scanner.skipValue()
            }
        }
        guard let timestampText = fields["timestamp"] else { throw invalid("timestamp is required") }
        guard let ts = ISOTimestamp.parse(timestampText) else { throw invalid("timestamp must be an ISO 8601 date-time") }
        guard let levelText = fields["level"] else { throw invalid("level is required") }
        guard let level = LogLevel(wire: levelText), levelText.lowercased() != "warning" else {
            throw invalid("level must be one of debug, info, warn, error, fatal, panic")
        }
        guard let message = fields["message"], !message.isEmpty else { throw invalid("message is required") }
        guard message.utf8.count <= maximumMessageBytes else { throw invalid("message is larger than 10 KB") }
        guard metadataBytes <= maximumMetadataBytes else { throw invalid("metadata is larger than 100 KB") }
        if let metadata, metadata.objectValue == nil, !metadata.isNull { throw invalid("metadata must be an object") }
        if let error, error.objectValue == nil, !error.isNull { throw invalid("error must be an object") }

        var record = LogRecord(ts: ts, level: level, message: message, source: "luminalog")
        record.environment = fields["environment"]
        record.service = fields["service"]
        record.traceID = fields["trace_id"]
        record.spanID = fields["span_id"]
        record.parentSpanID = fields["parent_span_id"]
        record.clientProjectID = fields["project_id"]
        if var metadataObject = metadata?.objectValue {
            if privacyMode {
                // Privacy mode keeps which keys were sent, never their values.
                for key in metadataObject.keys { metadataObject[key] = .null }
                record.message = Scrubber.scrubText(message)
            }
            record.metadataJSON = JSONValue.object(metadataObject).jsonText
        } else if privacyMode {
            record.message = Scrubber.scrubText(message)
        }
        if var errorObject = error?.objectValue {
            // Everything derived from a private log is scrubbed: the stored error, its search
            // text, and the issue title, description and culprit made from it.
            if privacyMode, let scrubbed = Scrubber.scrub(.object(errorObject)).objectValue { errorObject = scrubbed }
            record.errorJSON = JSONValue.object(errorObject).jsonText
            record.fingerprint = errorObject["fingerprint"]?.stringValue
            record.errorText = LogRecord.searchText(ofError: errorObject)
            record.loggedError = LoggedError(errorObject)
        }
        return record
    }
}

extension LogRecord {
    /// Type, message and stack lines of an error object, for full-text search.
    static func searchText(ofError error: [String: JSONValue]) -> String {
        var parts: [String] = []
        for key in ["type", "message"] { if let text = error[key]?.stringValue { parts.append(text) } }
        switch error["stack_trace"] {
        case .array(let lines)?: parts += lines.compactMap(\.stringValue)
        case .string(let text)?: parts.append(text)
        default: break
        }
        return parts.joined(separator: "\n")
    }
}
