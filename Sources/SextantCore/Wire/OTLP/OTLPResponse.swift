/// The three OTLP signals, each with its own response message.
public enum OTLPSignal: String, Sendable {
    case traces, logs, metrics
}

/// OTLP/HTTP answers, encoded like the request: an export response (with `partialSuccess` when
/// records were rejected) or, for a refused request, a `google.rpc.Status`.
public enum OTLPResponse {
    public static func export(_ signal: OTLPSignal, rejected: OTLPRejections, encoding: OTLPEncoding) -> [UInt8] {
        let rejectedCount = Int64(rejected.count)
        switch signal {
        case .traces:
            var response = OTLPExportTraceServiceResponse()
            if rejectedCount > 0 {
                response.partialSuccess.rejectedSpans = rejectedCount
                response.partialSuccess.errorMessage = rejected.message
            }
            return encoding.encode(response)
        case .logs:
            var response = OTLPExportLogsServiceResponse()
            if rejectedCount > 0 {
                response.partialSuccess.rejectedLogRecords = rejectedCount
                response.partialSuccess.errorMessage = rejected.message
            }
            return encoding.encode(response)
        case .metrics:
            var response = OTLPExportMetricsServiceResponse()
            if rejectedCount > 0 {
                response.partialSuccess.rejectedDataPoints = rejectedCount
                response.partialSuccess.errorMessage = rejected.message
            }
            return encoding.encode(response)
        }
    }

    /// `code` is a google.rpc.Code for the HTTP status (the spec leaves the code to the server).
    public static func status(httpStatus: Int, message: String, encoding: OTLPEncoding) -> [UInt8] {
        var status = RPCStatus()
        status.code = switch httpStatus {
        case 400: 3 // INVALID_ARGUMENT
        case 401: 16 // UNAUTHENTICATED
        case 403: 7 // PERMISSION_DENIED
        case 404: 5 // NOT_FOUND
        case 413: 11 // OUT_OF_RANGE
        case 415: 3
        case 429, 507: 8 // RESOURCE_EXHAUSTED
        case 503: 14 // UNAVAILABLE
        default: 2 // UNKNOWN
        }
        status.message = message
        return encoding.encode(status)
    }

    /// Whether a JSON body is an OTLP logs export (`resourceLogs` at the top) rather than a
    /// LuminaLog batch, read without decoding the rest of it.
    public static func isLogsExport(json bytes: some Collection<UInt8>) -> Bool {
        (try? JSONScanner.withScanner(over: bytes) { scanner -> Bool in
            var found = false
            try scanner.readObject { scanner, member in
                if member == "resourceLogs" || member == "resource_logs" { found = true }
                try scanner.skipValue()
            }
            return found
        }) ?? false
    }
}
