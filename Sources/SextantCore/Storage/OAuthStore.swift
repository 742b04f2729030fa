/// OAuth 2.1 state: clients, single-use authorization codes, rotating refresh tokens. Every
/// secret is stored as its SHA-256; access tokens live with the API tokens they act as.
public protocol OAuthStore: Sendable {
    func client(id: String) async throws -> OAuthClient?
    func registerClient(_ client: OAuthClient, now: Int64) async throws
    func saveAuthorizationCode(_ code: String, grant: AuthorizationGrant, now: Int64) async throws
    /// The grant behind an unused, unexpired code, marking it used; a second use revokes what the first issued.
    func consumeAuthorizationCode(_ code: String, now: Int64) async throws -> AuthorizationGrant?
    func issueTokens(_ issue: TokenIssue, now: Int64) async throws
    /// The grant behind an active refresh token, marking it used. A used token presented again
    /// means it leaked: its whole family is revoked and nil returned.
    func useRefreshToken(_ token: String, now: Int64) async throws -> RefreshGrant?
    /// Revokes an access or refresh token (RFC 7009: unknown tokens are not an error).
    /// Revokes `token` (access or refresh) if it was issued to `clientID`.
    func revoke(token: String, clientID: String, now: Int64) async throws
}
