import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636), `S256` only: OAuth 2.1 drops `plain`.
public enum PKCE {
    /// BASE64URL(SHA256(verifier)) without padding.
    public static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// 43 to 128 characters from RFC 7636's unreserved set.
    public static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.count)
            && verifier.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-._~".unicodeScalars.contains($0) }
    }

    public static func verify(verifier: String, challenge: String) -> Bool {
        isValidVerifier(verifier) && Secrets.constantTimeEquals(Self.challenge(for: verifier), challenge)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
