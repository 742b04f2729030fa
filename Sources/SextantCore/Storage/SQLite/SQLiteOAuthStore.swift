import Foundation
import GRDB

public struct SQLiteOAuthStore: OAuthStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func client(id: String) async throws -> OAuthClient? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM oauth_clients WHERE client_id = ?", arguments: [id]).map { row in
                OAuthClient(
                    clientID: row["client_id"], secretHash: row["secret_hash"], organizationID: row["organization_id"], name: row["name"],
                    redirectURIs: StoredList.decode(row["redirect_uris"]), scopes: StoredScopes.decode(row["scopes"]))
            }
        }
    }

    public func registerClient(_ client: OAuthClient, now: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO oauth_clients (client_id, secret_hash, organization_id, name, redirect_uris, scopes, source, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'registered', ?)
                """, arguments: [
                    client.clientID, client.secretHash, client.organizationID, client.name,
                    StoredList.encode(client.redirectURIs), StoredScopes.encode(client.scopes), now,
                ])
        }
    }

    public func saveAuthorizationCode(_ code: String, grant: AuthorizationGrant, now: Int64) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO oauth_codes (code_hash, client_id, organization_id, redirect_uri, code_challenge, scopes, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    Secrets.sha256Hex(code), grant.clientID, grant.organizationID, grant.redirectURI, grant.codeChallenge,
                    StoredScopes.encode(grant.scopes), grant.expiresAt,
                ])
        }
    }

    /// The claim is one statement (`… WHERE used_at IS NULL RETURNING`): of two redemptions racing
    /// on any number of writers, exactly one gets the row; the other finds the code used.
    public func consumeAuthorizationCode(_ code: String, now: Int64) async throws -> AuthorizationGrant? {
        let hash = Secrets.sha256Hex(code)
        return try await database.write { db in
            guard let row = try Row.fetchOne(
                db, sql: "UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL RETURNING *", arguments: [now, hash])
            else {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM oauth_codes WHERE code_hash = ?", arguments: [hash]) == true {
                    // RFC 6749 §4.1.2: a code used twice revokes the tokens it was exchanged for.
                    try Self.revokeFamily(RefreshGrant.familyID(forCodeHash: hash), now: now, db: db)
                }
                return nil
            }
            guard (row["expires_at"] as Int64) > now else { return nil }
            return AuthorizationGrant(
                clientID: row["client_id"], organizationID: row["organization_id"], redirectURI: row["redirect_uri"],
                codeChallenge: row["code_challenge"], scopes: StoredScopes.decode(row["scopes"]), expiresAt: row["expires_at"])
        }
    }

    public func issueTokens(_ issue: TokenIssue, now: Int64) async throws {
        try await database.write { db in
            let grant = issue.grant
            try db.execute(sql: """
                INSERT INTO api_tokens (id, token_hash, display_prefix, organization_id, scopes, name, source, created_at, expires_at,
                    client_id, family_id)
                VALUES (?, ?, ?, ?, ?, ?, 'oauth', ?, ?, ?, ?)
                """, arguments: [
                    UUID().uuidString.lowercased(), Secrets.sha256Hex(issue.accessToken), APITokenInfo.displayPrefix(of: issue.accessToken),
                    grant.organizationID, StoredScopes.encode(grant.scopes), "oauth:\(grant.clientID)", now, issue.accessExpiresAt, grant.clientID,
                    grant.familyID,
                ])
            if let refresh = issue.refreshToken {
                try db.execute(sql: """
                    INSERT INTO oauth_refresh_tokens (token_hash, family_id, client_id, organization_id, scopes, expires_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        Secrets.sha256Hex(refresh), grant.familyID, grant.clientID, grant.organizationID, StoredScopes.encode(grant.scopes),
                        issue.refreshExpiresAt, now,
                    ])
            }
        }
    }

    /// Claimed in one statement, as a code is: a refresh token replayed, even concurrently, finds
    /// itself used and revokes its family.
    public func useRefreshToken(_ token: String, now: Int64) async throws -> RefreshGrant? {
        let hash = Secrets.sha256Hex(token)
        return try await database.write { db in
            guard let row = try Row.fetchOne(
                db, sql: "UPDATE oauth_refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL RETURNING *", arguments: [now, hash])
            else {
                if let family = try String.fetchOne(db, sql: "SELECT family_id FROM oauth_refresh_tokens WHERE token_hash = ?", arguments: [hash]) {
                    try Self.revokeFamily(family, now: now, db: db)
                }
                return nil
            }
            guard row["revoked_at"] as Int64? == nil, (row["expires_at"] as Int64) > now else { return nil }
            return RefreshGrant(
                familyID: row["family_id"], clientID: row["client_id"], organizationID: row["organization_id"], scopes: StoredScopes.decode(row["scopes"]))
        }
    }

    public func revoke(token: String, clientID: String, now: Int64) async throws {
        let hash = Secrets.sha256Hex(token)
        try await database.write { db in
            try db.execute(sql: """
                UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND source = 'oauth' AND client_id = ? AND revoked_at IS NULL
                """, arguments: [now, hash, clientID])
            // Revoking a refresh token ends its grant: the family's access tokens stop working too.
            if let family = try String.fetchOne(
                db, sql: "SELECT family_id FROM oauth_refresh_tokens WHERE token_hash = ? AND client_id = ?", arguments: [hash, clientID]) {
                try Self.revokeFamily(family, now: now, db: db)
            }
        }
    }

    static func revokeFamily(_ family: String, now: Int64, db: Database) throws {
        try db.execute(sql: "UPDATE oauth_refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL", arguments: [now, family])
        try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL", arguments: [now, family])
    }
}
