import Crypto

/// Hashing, comparison and generation of keys, tokens and passwords.
public enum Secrets {
    /// Lowercase hex SHA-256, how tokens are stored and keys are indexed.
    public static func sha256Hex(_ text: String) -> String {
        sha256Hex(bytes: Array(text.utf8))
    }

    public static func sha256Hex(bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hex(hasher.finalize())
    }

    /// Lowercase hex of any bytes (a digest, a MAC).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Compares in time that depends only on the lengths, never on where the inputs differ.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        let length = max(a.count, b.count)
        for index in 0..<length {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// `prefix` followed by `length` random base62 characters from the system's CSPRNG.
    public static func generate(prefix: String, length: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let body = (0..<length).map { _ in base62[Int(generator.next(upperBound: UInt64(base62.count)))] }
        return prefix + String(body)
    }

    /// Sextant's own key and token formats (API.md §1).
    public static func newIngestKey() -> String { generate(prefix: "sx_pk_") }
    public static func newAPIToken() -> String { generate(prefix: "sx_api_") }
}
