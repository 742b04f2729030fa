import Foundation

/// Sextant's OAuth 2.1 authorization server (API.md §5): authorization code with PKCE S256,
/// rotating refresh tokens, client credentials for configured clients, dynamic registration.
public struct OAuthAuthority: Sendable {
    public static let accessTokenSeconds: Int64 = 3600
    public static let refreshTokenSeconds: Int64 = 30 * 86_400
    public static let codeSeconds: Int64 = 60

    /// What a successful token request returns.
    public struct Tokens: Sendable, Equatable {
        public var accessToken: String
        public var refreshToken: String?
        public var expiresIn: Int64
        public var scopes: [TokenScope]
    }

    /// A validated authorization request, shown on the consent page and carried through its form.
    public struct AuthorizationRequest: Sendable, Equatable {
        public var client: OAuthClient
        public var redirectURI: String
        public var codeChallenge: String
        public var scopes: [TokenScope]
        public var state: String?
    }

    let store: any OAuthStore
    let clock: WallClock

    public init(store: any OAuthStore, clock: WallClock) {
        self.store = store
        self.clock = clock
    }

    /// The client, when its credentials hold. Public clients authenticate with their id alone.
    public func authenticateClient(id: String?, secret: String?) async throws -> OAuthClient {
        guard let id, let client = try await store.client(id: id) else { throw OAuthError.invalidClient() }
        if let hash = client.secretHash {
            guard let secret, Secrets.constantTimeEquals(Secrets.sha256Hex(secret), hash) else { throw OAuthError.invalidClient() }
        }
        return client
    }

    // MARK: Authorization endpoint

    /// Checks an `/oauth/authorize` request. Errors about the client or redirect URI must be shown,
    /// never redirected (`redirectable` false); the rest go back to the client.
    public func validateAuthorization(
        clientID: String?, redirectURI: String?, responseType: String?, codeChallenge: String?, challengeMethod: String?,
        scope: String?, state: String?
    ) async throws -> AuthorizationRequest {
        guard let clientID, let client = try await store.client(id: clientID) else {
            throw AuthorizationFailure(error: .invalidRequest("Unknown client_id"), redirectable: false)
        }
        guard let redirectURI, client.redirectURIs.contains(redirectURI) else {
            throw AuthorizationFailure(error: .invalidRequest("redirect_uri is not registered for this client"), redirectable: false)
        }
        guard responseType == "code" else {
            throw AuthorizationFailure(error: .init("unsupported_response_type", "response_type must be code"), redirectable: true)
        }
        guard let codeChallenge, !codeChallenge.isEmpty else {
            throw AuthorizationFailure(error: .invalidRequest("code_challenge is required (PKCE)"), redirectable: true)
        }
        guard challengeMethod == "S256" else {
            throw AuthorizationFailure(error: .invalidRequest("code_challenge_method must be S256"), redirectable: true)
        }
        let scopes: [TokenScope]
        do {
            scopes = try Self.scopes(requested: scope, allowed: client.scopes)
        } catch let error as OAuthError {
            throw AuthorizationFailure(error: error, redirectable: true)
        }
        return AuthorizationRequest(client: client, redirectURI: redirectURI, codeChallenge: codeChallenge, scopes: scopes, state: state)
    }

    /// Issues a single-use code once the signed-in user approved the request for an organization.
    public func approve(_ request: AuthorizationRequest, organizationID: String) async throws -> String {
        let code = Secrets.generate(prefix: "luc_code_", length: 40)
        let now = clock.nowMilliseconds()
        try await store.saveAuthorizationCode(code, grant: AuthorizationGrant(
            clientID: request.client.clientID, organizationID: organizationID, redirectURI: request.redirectURI,
            codeChallenge: request.codeChallenge, scopes: request.scopes, expiresAt: now + Self.codeSeconds * 1000), now: now)
        return code
    }

    // MARK: Token endpoint

    public func exchangeCode(client: OAuthClient, code: String?, redirectURI: String?, verifier: String?) async throws -> Tokens {
        guard let code, let verifier else { throw OAuthError.invalidRequest("code and code_verifier are required") }
        let now = clock.nowMilliseconds()
        guard let grant = try await store.consumeAuthorizationCode(code, now: now), grant.clientID == client.clientID else {
            throw OAuthError.invalidGrant("The authorization code is invalid, expired or already used")
        }
        guard grant.redirectURI == redirectURI else { throw OAuthError.invalidGrant("redirect_uri does not match the authorization request") }
        guard PKCE.verify(verifier: verifier, challenge: grant.codeChallenge) else { throw OAuthError.invalidGrant("code_verifier does not match") }
        let family = RefreshGrant(
            familyID: RefreshGrant.familyID(forCodeHash: Secrets.sha256Hex(code)), clientID: client.clientID, organizationID: grant.organizationID, scopes: grant.scopes)
        return try await issue(family, withRefresh: true, now: now)
    }

    public func refresh(client: OAuthClient, refreshToken: String?, scope: String?) async throws -> Tokens {
        guard let refreshToken else { throw OAuthError.invalidRequest("refresh_token is required") }
        let now = clock.nowMilliseconds()
        guard var grant = try await store.useRefreshToken(refreshToken, now: now), grant.clientID == client.clientID else {
            throw OAuthError.invalidGrant("The refresh token is invalid, expired, revoked or already used")
        }
        // A refresh may narrow the grant's scopes, never widen them.
        grant.scopes = try Self.scopes(requested: scope, allowed: grant.scopes)
        return try await issue(grant, withRefresh: true, now: now)
    }

    public func clientCredentials(client: OAuthClient, scope: String?) async throws -> Tokens {
        guard client.secretHash != nil, let organization = client.organizationID else {
            throw OAuthError.unauthorizedClient("client_credentials needs a configured confidential client")
        }
        let scopes = try Self.scopes(requested: scope, allowed: client.scopes)
        let grant = RefreshGrant(familyID: "client:" + UUID().uuidString, clientID: client.clientID, organizationID: organization, scopes: scopes)
        return try await issue(grant, withRefresh: false, now: clock.nowMilliseconds())
    }

    private func issue(_ grant: RefreshGrant, withRefresh: Bool, now: Int64) async throws -> Tokens {
        let access = Secrets.generate(prefix: "luc_oat_", length: 40)
        let refresh = withRefresh ? Secrets.generate(prefix: "luc_ort_", length: 48) : nil
        try await store.issueTokens(TokenIssue(
            accessToken: access, accessExpiresAt: now + Self.accessTokenSeconds * 1000, refreshToken: refresh,
            refreshExpiresAt: now + Self.refreshTokenSeconds * 1000, grant: grant), now: now)
        return Tokens(accessToken: access, refreshToken: refresh, expiresIn: Self.accessTokenSeconds, scopes: grant.scopes)
    }

    // MARK: Registration

    /// RFC 7591 registration. Returns the client and, for confidential clients, its secret (shown once).
    public func register(name: String?, redirectURIs: [String], authMethod: String?, scope: String?) async throws -> (OAuthClient, String?) {
        guard !redirectURIs.isEmpty else { throw OAuthError("invalid_redirect_uri", "redirect_uris must list at least one URI") }
        for uri in redirectURIs {
            guard let url = URL(string: uri), let scheme = url.scheme, url.fragment == nil else {
                throw OAuthError("invalid_redirect_uri", "\(uri) is not an absolute URI without a fragment")
            }
            let loopback = ["localhost", "127.0.0.1", "[::1]", "::1"].contains(url.host ?? "")
            if scheme == "http", !loopback { throw OAuthError("invalid_redirect_uri", "http redirect URIs must be loopback: \(uri)") }
            // https, loopback http, and the private-use schemes of native apps (reverse domain
            // names, RFC 8252 §7.1). Never a scheme that runs or reads something in the browser:
            // javascript:, data:, file:, vbscript: and their kind are refused (RFC 9700 §4.1).
            guard Self.isAllowedRedirectScheme(scheme.lowercased()) else {
                throw OAuthError("invalid_redirect_uri", "redirect URIs must use https, loopback http or a reverse-domain app scheme: \(uri)")
            }
        }
        let method = authMethod ?? "client_secret_basic"
        guard ["none", "client_secret_basic", "client_secret_post"].contains(method) else {
            throw OAuthError("invalid_client_metadata", "token_endpoint_auth_method must be none, client_secret_basic or client_secret_post")
        }
        let scopes = try Self.scopes(requested: scope, allowed: TokenScope.allCases, defaultScopes: [.readLucent])
        let secret = method == "none" ? nil : Secrets.generate(prefix: "luc_cs_", length: 40)
        let client = OAuthClient(
            clientID: Secrets.generate(prefix: "luc_client_", length: 24), secretHash: secret.map(Secrets.sha256Hex), organizationID: nil,
            name: name, redirectURIs: redirectURIs, scopes: scopes)
        try await store.registerClient(client, now: clock.nowMilliseconds())
        return (client, secret)
    }

    /// RFC 7009: the client authenticates (a public client by its id), and only tokens issued to
    /// it are revoked; another client's token is left alone, with the same 200.
    public func revoke(client: OAuthClient, token: String?) async throws {
        guard let token, !token.isEmpty else { throw OAuthError.invalidRequest("token is required") }
        try await store.revoke(token: token, clientID: client.clientID, now: clock.nowMilliseconds())
    }

    static func isAllowedRedirectScheme(_ scheme: String) -> Bool {
        if scheme == "https" || scheme == "http" { return true }
        let parts = scheme.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { !$0.isEmpty }
    }

    /// The space-separated scopes asked for, all of which must be allowed; none asked means all allowed.
    static func scopes(requested: String?, allowed: [TokenScope], defaultScopes: [TokenScope]? = nil) throws -> [TokenScope] {
        let names = (requested ?? "").split(separator: " ").map(String.init)
        guard !names.isEmpty else { return defaultScopes ?? allowed }
        var scopes: [TokenScope] = []
        for name in names {
            guard let scope = TokenScope(rawValue: name), allowed.contains(scope) else {
                throw OAuthError.invalidScope("Scope \(name) is not available to this client")
            }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        return scopes
    }
}

/// A failed authorization request, and whether the error may be sent to the redirect URI.
public struct AuthorizationFailure: Error {
    public var error: OAuthError
    public var redirectable: Bool
}
