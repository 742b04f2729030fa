import Foundation
import SwiftProtobuf

/// The two encodings of OTLP/HTTP. The answer to a request is encoded like the request.
public enum OTLPEncoding: Sendable, Equatable {
    case protobuf
    case json

    /// `application/x-protobuf` or `application/json` (parameters ignored); nil for anything else.
    public init?(contentType: String?) {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        switch mediaType {
        case "application/x-protobuf", "application/protobuf": self = .protobuf
        case "application/json": self = .json
        default: return nil
        }
    }

    public var contentType: String {
        switch self {
        case .protobuf: "application/x-protobuf"
        case .json: "application/json"
        }
    }

    func decode<Message: SwiftProtobuf.Message>(_ type: Message.Type, from bytes: [UInt8]) throws -> Message {
        do {
            switch self {
            case .protobuf:
                return try Message(serializedBytes: bytes)
            case .json:
                var options = JSONDecodingOptions()
                // A newer exporter's fields must not fail an older collector (the OTLP spec says so).
                options.ignoreUnknownFields = true
                return try Message(jsonUTF8Bytes: bytes, options: options)
            }
        } catch {
            throw OTLPDecodingError("the body is not an OTLP \(Message.protoMessageName) in \(self == .json ? "JSON" : "protobuf"): \(error)")
        }
    }

    func encode(_ message: some SwiftProtobuf.Message) -> [UInt8] {
        // Encoding a message Sextant built from its own fields cannot fail; an empty body is the
        // valid encoding of an empty message in both forms should it ever do so.
        switch self {
        case .protobuf: (try? message.serializedBytes()) ?? []
        case .json: (try? message.jsonUTF8Bytes()) ?? Array("{}".utf8)
        }
    }

    /// A trace or span id as lowercase hex. Protobuf carries the raw bytes. OTLP/JSON carries hex
    /// text where proto3 JSON expects base64; the decoder read that text as base64, and since a
    /// 16- or 32-character hex string is whole base64 groups, encoding the bytes back gives the
    /// text exactly as sent.
    func identifier(_ bytes: Data) -> String? {
        guard !bytes.isEmpty else { return nil }
        switch self {
        case .protobuf: return bytes.map { String(format: "%02x", $0) }.joined()
        case .json: return bytes.base64EncodedString().lowercased()
        }
    }
}

public struct OTLPDecodingError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// What a request's records became: what Sextant keeps and how many it rejected, with why.
public struct OTLPRejections: Sendable, Equatable {
    public var count = 0
    public var reasons: [String] = []

    mutating func reject(_ reason: String) {
        count += 1
        if !reasons.contains(reason), reasons.count < 5 { reasons.append(reason) }
    }

    public var message: String { reasons.joined(separator: "; ") }
}
