/// What a first start created; printed once, never stored in clear.
public struct FirstRunCredentials: Sendable, Equatable {
    public var organizationID: String
    public var projectSlug: String
    public var ingestKey: String
    public var apiToken: String
}

public enum TenancyBootstrap {
    /// Upserts the configured tenancy and monitors; on a store and configuration with no organization at all,
    /// creates organization `default`, project `default`, one ingest key and one API token.
    public static func prepare(store backend: SextantStore, organizations: [OrganizationConfig], now: Int64) async throws -> FirstRunCredentials? {
        let store = backend.tenancy
        try await store.applyConfiguration(organizations, now: now)
        try await backend.monitors.applyConfiguration(organizations, now: now)
        guard organizations.isEmpty, try await !store.hasOrganizations() else { return nil }
        try await store.createOrganization(Organization(id: "default", name: "Default"), now: now)
        _ = try await store.createProject(slug: "default", organizationID: "default", name: "Default", origins: [], now: now)
        let key = Secrets.newIngestKey()
        try await store.addIngestKey(key, projectSlug: "default", source: .bootstrap, now: now)
        let token = Secrets.newAPIToken()
        _ = try await store.addAPIToken(token, organizationID: "default", scopes: TokenScope.allCases, name: "bootstrap", source: .bootstrap, now: now)
        return FirstRunCredentials(organizationID: "default", projectSlug: "default", ingestKey: key, apiToken: token)
    }
}
