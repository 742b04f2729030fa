import Foundation

/// A PostHog capture body after its transport encoding: the events it carries and the project
/// key, from the body (`api_key` or `token`, at the top or in the first event) or nil.
/// Bodies come as `{api_key, batch: [...]}` (posthog-python's `/batch/`), a JSON array of
/// events (posthog-js), or one event; lz-string (`compression=lz64`) and base64 (the `data=`
/// field of a form post) are undone here, gzip by the body reader before.
public struct PostHogPayload: Sendable {
    public var apiKey: String?
    public var events: [JSONValue]
    /// When the client sent the batch: with each event's `timestamp`, it corrects the client's clock.
    public var sentAt: Int64?

    public struct DecodingError: Error, CustomStringConvertible, Sendable {
        public let description: String
        public let isTooLarge: Bool

        init(_ description: String, tooLarge: Bool = false) {
            self.description = description
            isTooLarge = tooLarge
        }
    }

    /// `base64` says the bytes came from a form's `data` field; `limit` bounds lz-string's output.
    public static func decode(_ bytes: [UInt8], compression: String?, base64: Bool, limit: Int) throws(DecodingError) -> PostHogPayload {
        var json = bytes
        let looksLikeJSON = bytes.first.map { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") } ?? false
        if compression == "lz64" || compression == "lz-string" {
            do {
                json = try LZString.decompressFromBase64(bytes.filter { $0 != 10 && $0 != 13 }, limit: limit)
            } catch .tooLarge {
                throw DecodingError("the decompressed body is over \(limit) characters", tooLarge: true)
            } catch {
                throw DecodingError("the body is not lz-string base64 (compression=lz64)")
            }
        } else if base64, !looksLikeJSON {
            guard let decoded = Data(base64Encoded: padded(bytes)) else { throw DecodingError("data is not base64-encoded JSON") }
            json = Array(decoded)
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(json)
        } catch {
            throw DecodingError("the body is not JSON")
        }
        var payload: PostHogPayload
        switch value {
        case .array(let events):
            payload = PostHogPayload(apiKey: nil, events: events)
        case .object(let object):
            if let batch = object["batch"] {
                guard let events = batch.arrayValue else { throw DecodingError("batch must be an array of events") }
                payload = PostHogPayload(apiKey: nil, events: events)
            } else {
                payload = PostHogPayload(apiKey: nil, events: [value])
            }
            payload.apiKey = object["api_key"]?.stringValue ?? object["token"]?.stringValue
            payload.sentAt = object["sent_at"]?.stringValue.flatMap(ISOTimestamp.parse)
        default:
            throw DecodingError("the body must be an event, an array of events or {\"batch\": [...]}")
        }
        guard payload.events.count <= EventBatchDecoder.maximumEvents else {
            throw DecodingError("at most \(EventBatchDecoder.maximumEvents) events per request", tooLarge: true)
        }
        if payload.apiKey == nil, let first = payload.events.first {
            payload.apiKey = first["api_key"]?.stringValue ?? first["token"]?.stringValue ?? first["properties"]?["token"]?.stringValue
        }
        return payload
    }

    private init(apiKey: String?, events: [JSONValue]) {
        self.apiKey = apiKey
        self.events = events
    }

    /// posthog-js may strip base64 padding; a form decoder reads an unescaped `+` as a space.
    private static func padded(_ bytes: [UInt8]) -> Data {
        var text = bytes.compactMap { byte -> UInt8? in byte == 32 ? UInt8(ascii: "+") : (byte == 10 || byte == 13 ? nil : byte) }
        while text.count % 4 != 0 { text.append(UInt8(ascii: "=")) }
        return Data(text)
    }
}
