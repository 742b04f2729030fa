import Foundation
import PostgresNIO
import SextantCore

public struct PostgresTenancyStore: TenancyStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    var logger: Logger { database.logger }

    public func hasOrganizations() async throws -> Bool {
        try await database.rows("SELECT EXISTS (SELECT 1 FROM organizations)")[0].decode(Bool.self)
    }

    /// Every node applies the file at start, perhaps at the same moment: the transaction holds an
    /// advisory lock, so the applications run one after another and the last leaves the file's state.
    public func applyConfiguration(_ organizations: [OrganizationConfig], now: Int64) async throws {
        try await database.transaction { tx in
            try await tx.execute("SELECT pg_advisory_xact_lock(\(PostgresAdvisoryLock.configuration))")
            var configuredKeyHashes: [String] = []
            var configuredTokenHashes: [String] = []
            for organization in organizations {
                try await tx.execute("""
                    INSERT INTO organizations (id, name, source, created_at) VALUES (\(organization.id), \(organization.name ?? organization.id), 'config', \(now))
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name
                    """)
                for project in organization.projects {
                    let projectID = try await tx.rows("""
                        INSERT INTO projects (slug, organization_id, name, origins, rate_rps, rate_burst, retention, created_at)
                        VALUES (\(project.slug), \(organization.id), \(project.name ?? project.slug), \(StoredList.encode(project.origins)),
                            \(project.rateLimit?.requestsPerSecond), \(project.rateLimit.map { Int64($0.burst) }), \(project.retention.jsonText), \(now))
                        ON CONFLICT (slug) DO UPDATE SET organization_id = excluded.organization_id, name = excluded.name,
                            origins = excluded.origins, rate_rps = excluded.rate_rps, rate_burst = excluded.rate_burst,
                            retention = excluded.retention
                        RETURNING id
                        """)[0].decode(Int64.self)
                    let keys = project.keys.map { ($0, false) } + (project.serverKey.map { [($0, true)] } ?? [])
                    for (key, isServerKey) in keys {
                        let hash = Secrets.sha256Hex(key)
                        configuredKeyHashes.append(hash)
                        try await tx.execute("""
                            INSERT INTO ingest_keys (key_hash, key, project_id, is_server_key, source, created_at)
                            VALUES (\(hash), \(key), \(projectID), \(isServerKey), 'config', \(now))
                            ON CONFLICT (key_hash) DO UPDATE SET project_id = excluded.project_id,
                                is_server_key = excluded.is_server_key, source = 'config', revoked_at = NULL
                            """)
                    }
                    for signal in project.signals {
                        try await PostgresSignalStore.upsert(
                            name: signal.name, prompt: signal.prompt, match: signal.match, projectID: projectID, source: .configuration,
                            now: now, tx: tx)
                    }
                    // The file's list replaces the project's webhooks from the file; those added in the dashboard stay.
                    try await PostgresWebhookStore.replaceConfigured(project.webhooks, projectID: projectID, now: now, tx: tx)
                }
                for client in organization.oauthClients {
                    try await tx.execute("""
                        INSERT INTO oauth_clients (client_id, secret_hash, organization_id, name, scopes, source, created_at)
                        VALUES (\(client.clientID), \(Secrets.sha256Hex(client.clientSecret)), \(organization.id), \(client.clientID),
                            \(StoredScopes.encode(client.scopes)), 'config', \(now))
                        ON CONFLICT (client_id) DO UPDATE SET secret_hash = excluded.secret_hash, organization_id = excluded.organization_id,
                            scopes = excluded.scopes, source = 'config'
                        """)
                }
                for token in organization.tokens {
                    let hash = Secrets.sha256Hex(token.token)
                    configuredTokenHashes.append(hash)
                    try await tx.execute("""
                        INSERT INTO api_tokens (id, token_hash, display_prefix, organization_id, scopes, name, source, created_at)
                        VALUES (\(UUID().uuidString.lowercased()), \(hash), \(APITokenInfo.displayPrefix(of: token.token)), \(organization.id),
                            \(StoredScopes.encode(token.scopes)), \(token.name), 'config', \(now))
                        ON CONFLICT (token_hash) DO UPDATE SET organization_id = excluded.organization_id,
                            scopes = excluded.scopes, name = excluded.name, source = 'config', revoked_at = NULL
                        """)
                }
            }
            // What the file no longer lists stops working.
            try await tx.execute("""
                UPDATE ingest_keys SET revoked_at = \(now)
                WHERE source = 'config' AND revoked_at IS NULL AND key_hash <> ALL(\(configuredKeyHashes))
                """)
            try await tx.execute("""
                UPDATE api_tokens SET revoked_at = \(now)
                WHERE source = 'config' AND revoked_at IS NULL AND token_hash <> ALL(\(configuredTokenHashes))
                """)
        }
    }

    public func createOrganization(_ organization: Organization, now: Int64) async throws {
        try await database.execute("""
            INSERT INTO organizations (id, name, source, created_at) VALUES (\(organization.id), \(organization.name), 'cli', \(now))
            ON CONFLICT (id) DO NOTHING
            """)
    }

    public func organizations() async throws -> [Organization] {
        try await database.rows("SELECT id, name FROM organizations ORDER BY id").map {
            let (id, name) = try $0.decode((String, String).self)
            return Organization(id: id, name: name)
        }
    }

    /// The insert decides alone (`ON CONFLICT DO NOTHING RETURNING`): of two nodes creating one
    /// slug, one gets the project and the other `duplicateProject`, never both.
    public func createProject(slug: String, organizationID: String, name: String, origins: [String], now: Int64) async throws -> Project {
        let created = try await database.rows("""
            INSERT INTO projects (slug, organization_id, name, origins, created_at)
            SELECT \(slug), id, \(name), \(StoredList.encode(origins)), \(now) FROM organizations WHERE id = \(organizationID)
            ON CONFLICT (slug) DO NOTHING
            RETURNING id
            """).first?.decode(Int64.self)
        guard let created else {
            guard try await exists("SELECT EXISTS (SELECT 1 FROM organizations WHERE id = \(organizationID))") else {
                throw TenancyError.unknownOrganization(organizationID)
            }
            throw TenancyError.duplicateProject(slug)
        }
        return try await projects(where: "id", equals: created)[0]
    }

    public func projects() async throws -> [Project] {
        try await database.rows("SELECT * FROM projects ORDER BY slug").map(Self.project(from:))
    }

    public func project(slug: String) async throws -> Project? {
        try await projects(where: "slug", equals: slug).first
    }

    public func addIngestKey(_ key: String, projectSlug: String, source: RecordSource, now: Int64) async throws {
        let added = try await !database.rows("""
            INSERT INTO ingest_keys (key_hash, key, project_id, source, created_at)
            SELECT \(Secrets.sha256Hex(key)), \(key), id, \(source.rawValue), \(now) FROM projects WHERE slug = \(projectSlug)
            ON CONFLICT (key_hash) DO NOTHING
            RETURNING 1
            """).isEmpty
        guard added else {
            guard try await exists("SELECT EXISTS (SELECT 1 FROM projects WHERE slug = \(projectSlug))") else {
                throw TenancyError.unknownProject(projectSlug)
            }
            throw TenancyError.duplicateKey
        }
    }

    public func ingestKeys(projectSlug: String?) async throws -> [IngestKeyInfo] {
        try await database.rows("""
            SELECT k.key, p.slug, k.source, k.created_at, k.revoked_at FROM ingest_keys k JOIN projects p ON p.id = k.project_id
            WHERE \(projectSlug)::text IS NULL OR p.slug = \(projectSlug) ORDER BY p.slug, k.created_at
            """).map {
            let (key, slug, source, createdAt, revokedAt) = try $0.decode((String, String, String, Int64, Int64?).self)
            return IngestKeyInfo(key: key, projectSlug: slug, source: source, createdAt: createdAt, revokedAt: revokedAt)
        }
    }

    public func revokeIngestKey(_ key: String, now: Int64) async throws -> Bool {
        try await !database.rows("""
            UPDATE ingest_keys SET revoked_at = \(now) WHERE key_hash = \(Secrets.sha256Hex(key)) AND revoked_at IS NULL RETURNING 1
            """).isEmpty
    }

    public func resolveIngestKey(_ key: String) async throws -> IngestCredential? {
        // Looked up by hash, then compared in constant time: no timing tells how much of a guess matched.
        guard let row = try await database.rows("""
            SELECT key, project_id, is_server_key FROM ingest_keys WHERE key_hash = \(Secrets.sha256Hex(key)) AND revoked_at IS NULL
            """).first else { return nil }
        let (storedKey, projectID, isServerKey) = try row.decode((String, Int64, Bool).self)
        guard Secrets.constantTimeEquals(storedKey, key), let project = try await projects(where: "id", equals: projectID).first else { return nil }
        return IngestCredential(project: project, isServerKey: isServerKey)
    }

    public func addAPIToken(
        _ token: String, organizationID: String, scopes: [TokenScope], name: String?, source: RecordSource, now: Int64
    ) async throws -> APITokenInfo {
        let id = UUID().uuidString.lowercased()
        let added = try await !database.rows("""
            INSERT INTO api_tokens (id, token_hash, display_prefix, organization_id, scopes, name, source, created_at)
            SELECT \(id), \(Secrets.sha256Hex(token)), \(APITokenInfo.displayPrefix(of: token)), id, \(StoredScopes.encode(scopes)),
                \(name), \(source.rawValue), \(now)
            FROM organizations WHERE id = \(organizationID)
            RETURNING 1
            """).isEmpty
        guard added else { throw TenancyError.unknownOrganization(organizationID) }
        return try await tokens(where: "id = $1", id)[0]
    }

    public func apiTokens(organizationID: String?) async throws -> [APITokenInfo] {
        var statement = PostgresQueryBuilder("SELECT * FROM api_tokens WHERE source <> 'oauth'")
        if let organizationID { statement.append(" AND organization_id = \(statement.bind(organizationID))") }
        statement.append(" ORDER BY organization_id, created_at")
        return try await database.rows(statement.query).map(Self.token(from:))
    }

    public func revokeAPIToken(id: String, now: Int64) async throws -> Bool {
        try await !database.rows("UPDATE api_tokens SET revoked_at = \(now) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1").isEmpty
    }

    public func resolveAPIToken(_ token: String, now: Int64) async throws -> APITokenInfo? {
        try await database.rows("""
            SELECT * FROM api_tokens
            WHERE token_hash = \(Secrets.sha256Hex(token)) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(now))
            """).first.map(Self.token(from:))
    }

    // MARK: Rows

    private func exists(_ query: PostgresQuery) async throws -> Bool {
        try await database.rows(query)[0].decode(Bool.self)
    }

    private func projects<Value: PostgresDynamicTypeEncodable>(where column: String, equals value: Value) async throws -> [Project] {
        var statement = PostgresQueryBuilder("SELECT * FROM projects WHERE \(column) = ")
        statement.append(statement.bind(value) + " ORDER BY slug")
        return try await database.rows(statement.query).map(Self.project(from:))
    }

    private func tokens(where condition: String, _ value: String) async throws -> [APITokenInfo] {
        var statement = PostgresQueryBuilder()
        _ = statement.bind(value)
        statement.append("SELECT * FROM api_tokens WHERE \(condition) ORDER BY organization_id, created_at")
        return try await database.rows(statement.query).map(Self.token(from:))
    }

    static func project(from row: PostgresRow) throws -> Project {
        var rateLimit = RateLimit.default
        if let rps: Double = try row.column("rate_rps"), let burst: Int64 = try row.column("rate_burst") {
            rateLimit = RateLimit(requestsPerSecond: rps, burst: Int(burst))
        }
        return Project(
            id: try row.column("id"), slug: try row.column("slug"), organizationID: try row.column("organization_id"), name: try row.column("name"),
            origins: StoredList.decode(try row.column("origins")), rateLimit: rateLimit, retention: RetentionDays(jsonText: try row.column("retention")))
    }

    static func token(from row: PostgresRow) throws -> APITokenInfo {
        APITokenInfo(
            id: try row.column("id"), organizationID: try row.column("organization_id"), displayPrefix: try row.column("display_prefix"),
            name: try row.column("name"), scopes: StoredScopes.decode(try row.column("scopes")), createdAt: try row.column("created_at"),
            revokedAt: try row.column("revoked_at"), clientID: try row.column("client_id"), source: try row.column("source"))
    }
}
