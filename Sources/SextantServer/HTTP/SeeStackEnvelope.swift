import Foundation
import Hummingbird
import SextantCore

/// SeeStack's response envelope: `{success, data, meta{requestId, timestamp}}` or
/// `{success: false, error{code, message, details?}, meta}` (seeds/seestack-replay-ingest.txt).
enum SeeStackEnvelope {
    static func success(_ status: HTTPResponse.Status = .accepted, context: AppRequestContext, clock: WallClock,
                        data: (inout JSONWriter) -> Void) -> Response {
        .jsonObject(status: status) { writer in
            writer.key("success"); writer.bool(true)
            writer.key("data"); writer.beginObject(); data(&writer); writer.endObject()
            meta(&writer, context: context, clock: clock)
        }
    }

    static func error(
        _ status: HTTPResponse.Status, code: String, message: String, details: [String: String] = [:], context: AppRequestContext, clock: WallClock
    ) -> APIError {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("success"); writer.bool(false)
        writer.key("error"); writer.beginObject()
        writer.key("code"); writer.string(code)
        writer.key("message"); writer.string(message)
        if !details.isEmpty {
            writer.key("details"); writer.beginObject()
            for field in details.keys.sorted() {
                writer.key(field)
                writer.string(details[field])
            }
            writer.endObject()
        }
        writer.endObject()
        meta(&writer, context: context, clock: clock)
        writer.endObject()
        return APIError(status: status, body: writer.bytes)
    }

    static func validation(_ details: [String: String], context: AppRequestContext, clock: WallClock) -> APIError {
        error(.unprocessableContent, code: "VALIDATION_ERROR", message: "Validation failed", details: details, context: context, clock: clock)
    }

    /// A raw `{"ok": …}` body, the shape of http-requests, heartbeat and spans.
    static func raw(_ status: HTTPResponse.Status, _ build: (inout JSONWriter) -> Void) -> Response {
        .jsonObject(status: status, build)
    }

    /// `{"ok": true, "accepted": N}` with 202, what batch routes answer.
    static func accepted(_ count: Int) -> Response {
        raw(.accepted) { writer in
            writer.key("ok"); writer.bool(true)
            writer.key("accepted"); writer.integer(count)
        }
    }

    static func rawError(_ status: HTTPResponse.Status, code: String, message: String) -> APIError {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("ok"); writer.bool(false)
        writer.key("code"); writer.string(code)
        writer.key("message"); writer.string(message)
        writer.endObject()
        return APIError(status: status, body: writer.bytes)
    }

    private static func meta(_ writer: inout JSONWriter, context: AppRequestContext, clock: WallClock) {
        writer.key("meta"); writer.beginObject()
        writer.key("requestId"); writer.string(context.requestID)
        writer.key("timestamp"); writer.string(ISOTimestamp.format(clock.nowMilliseconds()))
        writer.endObject()
    }
}

/// Collects SeeStack field problems (`field: message`) while reading a JSON body.
struct FieldProblems {
    private(set) var details: [String: String] = [:]

    var isEmpty: Bool { details.isEmpty }

    mutating func add(_ field: String, _ message: String) {
        if details[field] == nil { details[field] = message }
    }

    /// A required string that is present and not blank.
    mutating func nonBlank(_ value: JSONValue?, _ field: String) -> String? {
        guard let text = value?.stringValue, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            add(field, "must not be blank")
            return nil
        }
        return text
    }

    /// An optional string: absent or null is nil; another type is a problem.
    mutating func optionalString(_ value: JSONValue?, _ field: String) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default:
            add(field, "must be a string")
            return nil
        }
    }

    /// An optional number within `range` (a duration, say); out of range is a problem naming it.
    mutating func optionalNumber(_ value: JSONValue?, _ field: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?:
            guard range.contains(number) else {
                add(field, range.lowerBound == 0 && range.upperBound == .greatestFiniteMagnitude
                    ? "must be greater than or equal to 0" : "must be between \(Int64(range.lowerBound)) and \(Int64(range.upperBound))")
                return nil
            }
            return number
        default:
            add(field, "must be a number")
            return nil
        }
    }

    /// A number that must be there, within `range`.
    mutating func requiredNumber(_ value: JSONValue?, _ field: String, in range: ClosedRange<Double>) -> Double? {
        guard let number = value?.numberValue, range.contains(number) else {
            add(field, "must be a number between \(Int64(range.lowerBound)) and \(Int64(range.upperBound))")
            return nil
        }
        return number
    }

    /// An optional whole number (rounded down) within `range`; another type or an out-of-range
    /// value is a problem naming the field.
    mutating func optionalInteger(_ value: JSONValue?, _ field: String, in range: ClosedRange<Int64>) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?:
            guard let whole = number.int64(in: range) else {
                add(field, "must be \(WireRange.describe(range))")
                return nil
            }
            return whole
        default:
            add(field, "must be a number")
            return nil
        }
    }

    /// An optional object, returned as its JSON text.
    mutating func optionalObjectText(_ value: JSONValue?, _ field: String) -> String? {
        switch value {
        case nil, .null?: return nil
        case .object?: return value!.jsonText
        default:
            add(field, "must be an object")
            return nil
        }
    }
}
