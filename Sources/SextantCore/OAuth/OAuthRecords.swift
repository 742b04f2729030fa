/// A registered or configured OAuth client.
public struct OAuthClient: Sendable, Equatable {
    public var clientID: String
    /// SHA-256 of the secret; nil for public clients, which must use PKCE.
    public var secretHash: String?
    /// Configured clients act for one organization; registered ones for whichever the user approves.
    public var organizationID: String?
    public var name: String?
    public var redirectURIs: [String]
    public var scopes: [TokenScope]

    public init(clientID: String, secretHash: String?, organizationID: String?, name: String?, redirectURIs: [String], scopes: [TokenScope]) {
        self.clientID = clientID
        self.secretHash = secretHash
        self.organizationID = organizationID
        self.name = name
        self.redirectURIs = redirectURIs
        self.scopes = scopes
    }
}

/// An authorization code waiting to be exchanged (kept hashed, single use).
public struct AuthorizationGrant: Sendable, Equatable {
    public var clientID: String
    public var organizationID: String
    public var redirectURI: String
    public var codeChallenge: String
    public var scopes: [TokenScope]
    public var expiresAt: Int64

    public init(clientID: String, organizationID: String, redirectURI: String, codeChallenge: String, scopes: [TokenScope], expiresAt: Int64) {
        self.clientID = clientID
        self.organizationID = organizationID
        self.redirectURI = redirectURI
        self.codeChallenge = codeChallenge
        self.scopes = scopes
        self.expiresAt = expiresAt
    }
}

/// What a refresh token stands for; each use replaces it with a new one of the same family.
public struct RefreshGrant: Sendable, Equatable {
    public var familyID: String
    public var clientID: String
    public var organizationID: String
    public var scopes: [TokenScope]

    /// Tokens exchanged for one authorization code form a family, revoked together if the code is replayed.
    public static func familyID(forCodeHash hash: String) -> String { "code:" + hash }

    public init(familyID: String, clientID: String, organizationID: String, scopes: [TokenScope]) {
        self.familyID = familyID
        self.clientID = clientID
        self.organizationID = organizationID
        self.scopes = scopes
    }
}

/// Tokens to mint together: an access token and, for user grants, a refresh token.
public struct TokenIssue: Sendable, Equatable {
    public var accessToken: String
    public var accessExpiresAt: Int64
    public var refreshToken: String?
    public var refreshExpiresAt: Int64
    public var grant: RefreshGrant

    public init(accessToken: String, accessExpiresAt: Int64, refreshToken: String?, refreshExpiresAt: Int64, grant: RefreshGrant) {
        self.accessToken = accessToken
        self.accessExpiresAt = accessExpiresAt
        self.refreshToken = refreshToken
        self.refreshExpiresAt = refreshExpiresAt
        self.grant = grant
    }
}
