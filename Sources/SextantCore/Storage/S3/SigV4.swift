import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests (the header form): what every S3-compatible server
/// checks. Pure, so a test can hold it to AWS's published examples.
public struct SigV4: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var region: String
    public var service = "s3"

    public init(accessKeyID: String, secretAccessKey: String, region: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
    }

    public static let emptyPayloadHash = payloadHash([])

    /// `x-amz-content-sha256`: the body's SHA-256 in hex, which S3 checks against what arrived.
    public static func payloadHash(_ bytes: [UInt8]) -> String { Secrets.sha256Hex(bytes: bytes) }

    /// The headers to send with the request, `authorization` among them. `path` is already
    /// encoded (`S3Path.encode`); `query` holds raw names and values; `headers` are extra headers
    /// to sign, with lowercase names (`host` is always signed).
    public func sign(
        method: String, host: String, path: String, query: [(String, String)] = [], headers: [String: String] = [:],
        payloadHash: String, date: Date
    ) -> [(String, String)] {
        let (day, stamp) = Self.timestamps(date)
        var signed = headers
        signed["host"] = host
        signed["x-amz-date"] = stamp
        signed["x-amz-content-sha256"] = payloadHash
        let names = signed.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(signed[$0]!.trimmingCharacters(in: .whitespaces))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let canonicalQuery = Self.canonicalQuery(query)
        let canonicalRequest = [method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", stamp, scope, Secrets.sha256Hex(canonicalRequest)].joined(separator: "\n")
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = Secrets.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return names.filter { $0 != "host" }.map { ($0, signed[$0]!) } + [("authorization", authorization)]
    }

    /// Names and values encoded, then sorted by name (and value).
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (S3Path.encodeComponent($0.0), S3Path.encodeComponent($0.1)) }
        let sorted = encoded.sorted { left, right in left.name == right.name ? left.value < right.value : left.name < right.name }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// `20130524` and `20130524T000000Z`, in UTC.
    static func timestamps(_ date: Date) -> (day: String, stamp: String) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let day = String(format: "%04d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
        return (day, day + String(format: "T%02d%02d%02dZ", Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)))
    }
}

/// S3's URI encoding: every byte but `A-Z a-z 0-9 - . _ ~` as `%XX`; a key's `/` kept in paths.
public enum S3Path {
    public static func encodeComponent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// An object key as a path: each segment encoded, the slashes between them kept.
    public static func encode(_ key: String) -> String {
        key.split(separator: "/", omittingEmptySubsequences: false).map { encodeComponent(String($0)) }.joined(separator: "/")
    }
}
