import Foundation

/// OTLP attribute values as JSON, the shape Sextant stores metadata, tags and properties in.
extension OTLPAnyValue {
    var json: JSONValue {
        switch value {
        case .stringValue(let text)?: .string(text)
        case .boolValue(let flag)?: .bool(flag)
        // Beyond 2^53 a double rounds; the text keeps every digit.
        case .intValue(let number)?: number.magnitude <= 9_007_199_254_740_991 ? .number(Double(number)) : .string(String(number))
        case .doubleValue(let number)?: number.isFinite ? .number(number) : .string(String(number))
        case .arrayValue(let array)?: .array(array.values.map(\.json))
        case .kvlistValue(let list)?: .object(list.values.jsonObject)
        case .bytesValue(let bytes)?: .string(bytes.base64EncodedString())
        case nil: .null
        }
    }

    /// Text as sent for a string, JSON text for anything else.
    var text: String? {
        switch value {
        case .stringValue(let text)?: text
        case nil: nil
        default: json.jsonText
        }
    }
}

extension Array where Element == OTLPKeyValue {
    var jsonObject: [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        for attribute in self where !attribute.key.isEmpty { object[attribute.key] = attribute.value.json }
        return object
    }

    func string(_ key: String) -> String? {
        first { $0.key == key }?.value.text.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// What every record of one resource shares: the service and environment it runs in.
struct OTLPResourceContext {
    var service: String?
    var environment: String?
    var release: String?
    /// Resource attributes other than the three above, kept with each record's metadata.
    var attributes: [String: JSONValue]

    init(_ resource: OTLPResource?) {
        let attributes = resource?.attributes ?? []
        service = attributes.string("service.name")
        environment = attributes.string("deployment.environment.name") ?? attributes.string("deployment.environment")
        release = attributes.string("service.version")
        var rest = attributes.jsonObject
        for key in ["service.name", "deployment.environment.name", "deployment.environment", "service.version"] { rest[key] = nil }
        self.attributes = rest
    }
}

enum OTLPTime {
    /// Unix nanoseconds as milliseconds; nil for 0 (unset) or beyond what Sextant stores.
    static func milliseconds(_ nanoseconds: UInt64) -> Int64? {
        guard nanoseconds > 0 else { return nil }
        let milliseconds = Int64(nanoseconds / 1_000_000)
        return WireRange.timestampMs.contains(milliseconds) ? milliseconds : nil
    }
}
