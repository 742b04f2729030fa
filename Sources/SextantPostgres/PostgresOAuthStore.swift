import Foundation
import PostgresNIO
import SextantCore

public struct PostgresOAuthStore: OAuthStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    var logger: Logger { database.logger }

    public func client(id: String) async throws -> OAuthClient? {
        try await database.rows("SELECT * FROM oauth_clients WHERE client_id = \(id)").first.map { row in
            OAuthClient(
                clientID: try row.column("client_id"), secretHash: try row.column("secret_hash"), organizationID: try row.column("organization_id"),
                name: try row.column("name"), redirectURIs: StoredList.decode(try row.column("redirect_uris")),
                scopes: StoredScopes.decode(try row.column("scopes")))
        }
    }

    public func registerClient(_ client: OAuthClient, now: Int64) async throws {
        try await database.execute("""
            INSERT INTO oauth_clients (client_id, secret_hash, organization_id, name, redirect_uris, scopes, source, created_at)
            VALUES (\(client.clientID), \(client.secretHash), \(client.organizationID), \(client.name), \(StoredList.encode(client.redirectURIs)),
                \(StoredScopes.encode(client.scopes)), 'registered', \(now))
            """)
    }

    public func saveAuthorizationCode(_ code: String, grant: AuthorizationGrant, now: Int64) async throws {
        try await database.execute("""
            INSERT INTO oauth_codes (code_hash, client_id, organization_id, redirect_uri, code_challenge, scopes, expires_at)
            VALUES (\(Secrets.sha256Hex(code)), \(grant.clientID), \(grant.organizationID), \(grant.redirectURI), \(grant.codeChallenge),
                \(StoredScopes.encode(grant.scopes)), \(grant.expiresAt))
            """)
    }

    /// The claim is one statement (`… WHERE used_at IS NULL RETURNING`): of two redemptions racing
    /// on any number of nodes, the second waits for the first's row lock and then finds the code used.
    public func consumeAuthorizationCode(_ code: String, now: Int64) async throws -> AuthorizationGrant? {
        let hash = Secrets.sha256Hex(code)
        return try await database.transaction { tx in
            guard let row = try await tx.rows(
                "UPDATE oauth_codes SET used_at = \(now) WHERE code_hash = \(hash) AND used_at IS NULL RETURNING *").first
            else {
                if try await !tx.rows("SELECT 1 FROM oauth_codes WHERE code_hash = \(hash)").isEmpty {
                    // RFC 6749 §4.1.2: a code used twice revokes the tokens it was exchanged for.
                    try await Self.revokeFamily(RefreshGrant.familyID(forCodeHash: hash), now: now, tx: tx)
                }
                return nil
            }
            let expiresAt: Int64 = try row.column("expires_at")
            guard expiresAt > now else { return nil }
            return AuthorizationGrant(
                clientID: try row.column("client_id"), organizationID: try row.column("organization_id"), redirectURI: try row.column("redirect_uri"),
                codeChallenge: try row.column("code_challenge"), scopes: StoredScopes.decode(try row.column("scopes")), expiresAt: expiresAt)
        }
    }

    public func issueTokens(_ issue: TokenIssue, now: Int64) async throws {
        let grant = issue.grant
        try await database.transaction { tx in
            try await tx.execute("""
                INSERT INTO api_tokens (id, token_hash, display_prefix, organization_id, scopes, name, source, created_at, expires_at,
                    client_id, family_id)
                VALUES (\(UUID().uuidString.lowercased()), \(Secrets.sha256Hex(issue.accessToken)), \(APITokenInfo.displayPrefix(of: issue.accessToken)),
                    \(grant.organizationID), \(StoredScopes.encode(grant.scopes)), \("oauth:\(grant.clientID)"), 'oauth', \(now), \(issue.accessExpiresAt),
                    \(grant.clientID), \(grant.familyID))
                """)
            if let refresh = issue.refreshToken {
                try await tx.execute("""
                    INSERT INTO oauth_refresh_tokens (token_hash, family_id, client_id, organization_id, scopes, expires_at, created_at)
                    VALUES (\(Secrets.sha256Hex(refresh)), \(grant.familyID), \(grant.clientID), \(grant.organizationID),
                        \(StoredScopes.encode(grant.scopes)), \(issue.refreshExpiresAt), \(now))
                    """)
            }
        }
    }

    /// Claimed in one statement, as a code is: a refresh token replayed, even concurrently, finds
    /// itself used and revokes its family.
    public func useRefreshToken(_ token: String, now: Int64) async throws -> RefreshGrant? {
        let hash = Secrets.sha256Hex(token)
        return try await database.transaction { tx in
            guard let row = try await tx.rows(
                "UPDATE oauth_refresh_tokens SET used_at = \(now) WHERE token_hash = \(hash) AND used_at IS NULL RETURNING *").first
            else {
                if let family = try await tx.rows(
                    "SELECT family_id FROM oauth_refresh_tokens WHERE token_hash = \(hash)").first?.decode(String.self) {
                    try await Self.revokeFamily(family, now: now, tx: tx)
                }
                return nil
            }
            let revokedAt: Int64? = try row.column("revoked_at")
            let expiresAt: Int64 = try row.column("expires_at")
            guard revokedAt == nil, expiresAt > now else { return nil }
            return RefreshGrant(
                familyID: try row.column("family_id"), clientID: try row.column("client_id"), organizationID: try row.column("organization_id"),
                scopes: StoredScopes.decode(try row.column("scopes")))
        }
    }

    public func revoke(token: String, clientID: String, now: Int64) async throws {
        let hash = Secrets.sha256Hex(token)
        try await database.transaction { tx in
            try await tx.execute("""
                UPDATE api_tokens SET revoked_at = \(now)
                WHERE token_hash = \(hash) AND source = 'oauth' AND client_id = \(clientID) AND revoked_at IS NULL
                """)
            // Revoking a refresh token ends its grant: the family's access tokens stop working too.
            if let family = try await tx.rows(
                "SELECT family_id FROM oauth_refresh_tokens WHERE token_hash = \(hash) AND client_id = \(clientID)")
                .first?.decode(String.self) {
                try await Self.revokeFamily(family, now: now, tx: tx)
            }
        }
    }

    static func revokeFamily(_ family: String, now: Int64, tx: PostgresTransaction) async throws {
        try await tx.execute(
            "UPDATE oauth_refresh_tokens SET revoked_at = \(now) WHERE family_id = \(family) AND revoked_at IS NULL")
        try await tx.execute("UPDATE api_tokens SET revoked_at = \(now) WHERE family_id = \(family) AND revoked_at IS NULL")
    }
}
