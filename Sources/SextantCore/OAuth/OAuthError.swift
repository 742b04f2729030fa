/// An RFC 6749 error: `invalid_client` answers 401, the rest 400.
public struct OAuthError: Error, Equatable, CustomStringConvertible {
    public var code: String
    public var detail: String

    public init(_ code: String, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var isClientAuthentication: Bool { code == "invalid_client" }
    public var description: String { "\(code): \(detail)" }

    public static func invalidRequest(_ detail: String) -> Self { .init("invalid_request", detail) }
    public static func invalidClient(_ detail: String = "Client authentication failed") -> Self { .init("invalid_client", detail) }
    public static func invalidGrant(_ detail: String) -> Self { .init("invalid_grant", detail) }
    public static func invalidScope(_ detail: String) -> Self { .init("invalid_scope", detail) }
    public static func unsupportedGrantType(_ detail: String) -> Self { .init("unsupported_grant_type", detail) }
    public static func unauthorizedClient(_ detail: String) -> Self { .init("unauthorized_client", detail) }
}
