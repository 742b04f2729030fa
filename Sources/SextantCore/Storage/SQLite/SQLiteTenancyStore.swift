import Foundation
import GRDB

public struct SQLiteTenancyStore: TenancyStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func hasOrganizations() async throws -> Bool {
        try await database.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM organizations)") ?? false }
    }

    public func applyConfiguration(_ organizations: [OrganizationConfig], now: Int64) async throws {
        try await database.write { db in
            var configuredKeyHashes: [String] = []
            var configuredTokenHashes: [String] = []
            for organization in organizations {
                try db.execute(sql: """
                    INSERT INTO organizations (id, name, source, created_at) VALUES (?, ?, 'config', ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name
                    """, arguments: [organization.id, organization.name ?? organization.id, now])
                for project in organization.projects {
                    let projectID = try Int64.fetchOne(db, sql: """
                        INSERT INTO projects (slug, organization_id, name, origins, rate_rps, rate_burst, retention, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(slug) DO UPDATE SET organization_id = excluded.organization_id, name = excluded.name,
                            origins = excluded.origins, rate_rps = excluded.rate_rps, rate_burst = excluded.rate_burst,
                            retention = excluded.retention
                        RETURNING id
                        """, arguments: [
                            project.slug, organization.id, project.name ?? project.slug, StoredList.encode(project.origins),
                            project.rateLimit?.requestsPerSecond, project.rateLimit?.burst, project.retention.jsonText, now,
                        ])!
                    let keys = project.keys.map { ($0, false) } + (project.serverKey.map { [($0, true)] } ?? [])
                    for (key, isServerKey) in keys {
                        let hash = Secrets.sha256Hex(key)
                        configuredKeyHashes.append(hash)
                        try db.execute(sql: """
                            INSERT INTO ingest_keys (key_hash, key, project_id, is_server_key, source, created_at)
                            VALUES (?, ?, ?, ?, 'config', ?)
                            ON CONFLICT(key_hash) DO UPDATE SET project_id = excluded.project_id,
                                is_server_key = excluded.is_server_key, source = 'config', revoked_at = NULL
                            """, arguments: [hash, key, projectID, isServerKey, now])
                    }
                    for signal in project.signals {
                        try SQLiteSignalStore.upsert(
                            name: signal.name, prompt: signal.prompt, match: signal.match, projectID: projectID, source: .configuration,
                            now: now, db: db)
                    }
                    // The file's list replaces the project's webhooks from the file; those added in the dashboard stay.
                    try SQLiteWebhookStore.replaceConfigured(project.webhooks, projectID: projectID, now: now, db: db)
                }
                for client in organization.oauthClients {
                    try db.execute(sql: """
                        INSERT INTO oauth_clients (client_id, secret_hash, organization_id, name, scopes, source, created_at)
                        VALUES (?, ?, ?, ?, ?, 'config', ?)
                        ON CONFLICT(client_id) DO UPDATE SET secret_hash = excluded.secret_hash, organization_id = excluded.organization_id,
                            scopes = excluded.scopes, source = 'config'
                        """, arguments: [
                            client.clientID, Secrets.sha256Hex(client.clientSecret), organization.id, client.clientID,
                            client.scopes.map(\.rawValue).joined(separator: " "), now,
                        ])
                }
                for token in organization.tokens {
                    let hash = Secrets.sha256Hex(token.token)
                    configuredTokenHashes.append(hash)
                    try db.execute(sql: """
                        INSERT INTO api_tokens (id, token_hash, display_prefix, organization_id, scopes, name, source, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'config', ?)
                        ON CONFLICT(token_hash) DO UPDATE SET organization_id = excluded.organization_id,
                            scopes = excluded.scopes, name = excluded.name, source = 'config', revoked_at = NULL
                        """, arguments: [
                            UUID().uuidString.lowercased(), hash, APITokenInfo.displayPrefix(of: token.token), organization.id,
                            token.scopes.map(\.rawValue).joined(separator: " "), token.name, now,
                        ])
                }
            }
            // What the file no longer lists stops working.
            try db.execute(
                sql: "UPDATE ingest_keys SET revoked_at = ? WHERE source = 'config' AND revoked_at IS NULL AND key_hash NOT IN (SELECT value FROM json_each(?))",
                arguments: [now, StoredList.encode(configuredKeyHashes)])
            try db.execute(
                sql: "UPDATE api_tokens SET revoked_at = ? WHERE source = 'config' AND revoked_at IS NULL AND token_hash NOT IN (SELECT value FROM json_each(?))",
                arguments: [now, StoredList.encode(configuredTokenHashes)])
        }
    }

    public func createOrganization(_ organization: Organization, now: Int64) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO organizations (id, name, source, created_at) VALUES (?, ?, 'cli', ?) ON CONFLICT(id) DO NOTHING",
                arguments: [organization.id, organization.name, now])
        }
    }

    public func organizations() async throws -> [Organization] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM organizations ORDER BY id").map { Organization(id: $0["id"], name: $0["name"]) }
        }
    }

    /// The insert decides alone (`ON CONFLICT DO NOTHING RETURNING`): of two nodes creating one
    /// slug, one gets the project and the other `duplicateProject`, never both.
    public func createProject(slug: String, organizationID: String, name: String, origins: [String], now: Int64) async throws -> Project {
        try await database.write { db in
            let created = try Int64.fetchOne(db, sql: """
                INSERT INTO projects (slug, organization_id, name, origins, created_at)
                SELECT ?, id, ?, ?, ? FROM organizations WHERE id = ?
                ON CONFLICT (slug) DO NOTHING
                RETURNING id
                """, arguments: [slug, name, StoredList.encode(origins), now, organizationID])
            guard let created else {
                guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM organizations WHERE id = ?)", arguments: [organizationID]) == true else {
                    throw TenancyError.unknownOrganization(organizationID)
                }
                throw TenancyError.duplicateProject(slug)
            }
            return try Self.fetchProjects(db, whereSQL: "WHERE id = ?", arguments: [created])[0]
        }
    }

    public func projects() async throws -> [Project] {
        try await database.read { db in try Self.fetchProjects(db, whereSQL: "", arguments: []) }
    }

    public func project(slug: String) async throws -> Project? {
        try await database.read { db in try Self.fetchProjects(db, whereSQL: "WHERE slug = ?", arguments: [slug]).first }
    }

    public func addIngestKey(_ key: String, projectSlug: String, source: RecordSource, now: Int64) async throws {
        try await database.write { db in
            let added = try Bool.fetchOne(db, sql: """
                INSERT INTO ingest_keys (key_hash, key, project_id, source, created_at)
                SELECT ?, ?, id, ?, ? FROM projects WHERE slug = ?
                ON CONFLICT (key_hash) DO NOTHING
                RETURNING 1
                """, arguments: [Secrets.sha256Hex(key), key, source.rawValue, now, projectSlug]) ?? false
            guard added else {
                guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM projects WHERE slug = ?)", arguments: [projectSlug]) == true else {
                    throw TenancyError.unknownProject(projectSlug)
                }
                throw TenancyError.duplicateKey
            }
        }
    }

    public func ingestKeys(projectSlug: String?) async throws -> [IngestKeyInfo] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT k.key, p.slug, k.source, k.created_at, k.revoked_at FROM ingest_keys k JOIN projects p ON p.id = k.project_id
                WHERE ?1 IS NULL OR p.slug = ?1 ORDER BY p.slug, k.created_at
                """, arguments: [projectSlug]).map {
                IngestKeyInfo(key: $0[0], projectSlug: $0[1], source: $0[2], createdAt: $0[3], revokedAt: $0[4])
            }
        }
    }

    public func revokeIngestKey(_ key: String, now: Int64) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE ingest_keys SET revoked_at = ? WHERE key_hash = ? AND revoked_at IS NULL",
                arguments: [now, Secrets.sha256Hex(key)])
            return db.changesCount > 0
        }
    }

    public func resolveIngestKey(_ key: String) async throws -> IngestCredential? {
        try await database.read { db in
            // Looked up by hash, then compared in constant time: no timing tells how much of a guess matched.
            guard let row = try Row.fetchOne(db, sql: """
                SELECT key, project_id, is_server_key FROM ingest_keys WHERE key_hash = ? AND revoked_at IS NULL
                """, arguments: [Secrets.sha256Hex(key)]),
                Secrets.constantTimeEquals(row["key"], key) else { return nil }
            let projectID: Int64 = row["project_id"]
            guard let project = try Self.fetchProjects(db, whereSQL: "WHERE id = ?", arguments: [projectID]).first else { return nil }
            return IngestCredential(project: project, isServerKey: row["is_server_key"])
        }
    }

    public func addAPIToken(
        _ token: String, organizationID: String, scopes: [TokenScope], name: String?, source: RecordSource, now: Int64
    ) async throws -> APITokenInfo {
        try await database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM organizations WHERE id = ?)", arguments: [organizationID]) == true else {
                throw TenancyError.unknownOrganization(organizationID)
            }
            let id = UUID().uuidString.lowercased()
            try db.execute(sql: """
                INSERT INTO api_tokens (id, token_hash, display_prefix, organization_id, scopes, name, source, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    id, Secrets.sha256Hex(token), APITokenInfo.displayPrefix(of: token), organizationID,
                    scopes.map(\.rawValue).joined(separator: " "), name, source.rawValue, now,
                ])
            return try Self.fetchTokens(db, whereSQL: "WHERE id = ?", arguments: [id])[0]
        }
    }

    public func apiTokens(organizationID: String?) async throws -> [APITokenInfo] {
        try await database.read { db in
            try Self.fetchTokens(db, whereSQL: "WHERE (?1 IS NULL OR organization_id = ?1) AND source != 'oauth'", arguments: [organizationID])
        }
    }

    public func revokeAPIToken(id: String, now: Int64) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            return db.changesCount > 0
        }
    }

    public func resolveAPIToken(_ token: String, now: Int64) async throws -> APITokenInfo? {
        try await database.read { db in
            try Self.fetchTokens(
                db, whereSQL: "WHERE token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
                arguments: [Secrets.sha256Hex(token), now]).first
        }
    }

    // MARK: Rows

    static func fetchProjects(_ db: Database, whereSQL: String, arguments: StatementArguments) throws -> [Project] {
        try Row.fetchAll(db, sql: "SELECT * FROM projects \(whereSQL) ORDER BY slug", arguments: arguments).map { row in
            var rateLimit = RateLimit.default
            if let rps: Double = row["rate_rps"], let burst: Int = row["rate_burst"] {
                rateLimit = RateLimit(requestsPerSecond: rps, burst: burst)
            }
            return Project(
                id: row["id"], slug: row["slug"], organizationID: row["organization_id"], name: row["name"],
                origins: StoredList.decode(row["origins"]), rateLimit: rateLimit, retention: RetentionDays(jsonText: row["retention"]))
        }
    }

    static func fetchTokens(_ db: Database, whereSQL: String, arguments: StatementArguments) throws -> [APITokenInfo] {
        try Row.fetchAll(db, sql: "SELECT * FROM api_tokens \(whereSQL) ORDER BY organization_id, created_at", arguments: arguments).map { row in
            let scopeText: String = row["scopes"]
            return APITokenInfo(
                id: row["id"], organizationID: row["organization_id"], displayPrefix: row["display_prefix"], name: row["name"],
                scopes: scopeText.split(separator: " ").compactMap { TokenScope(rawValue: String($0)) },
                createdAt: row["created_at"], revokedAt: row["revoked_at"], clientID: row["client_id"], source: row["source"])
        }
    }
}
