/// Organizations, projects, ingest keys and Data API tokens.
public protocol TenancyStore: Sendable {
    func hasOrganizations() async throws -> Bool
    /// Upserts every organization, project, key and token of the configuration file, and revokes
    /// configuration-sourced keys and tokens that the file no longer lists.
    func applyConfiguration(_ organizations: [OrganizationConfig], now: Int64) async throws
    func createOrganization(_ organization: Organization, now: Int64) async throws
    func organizations() async throws -> [Organization]
    func createProject(slug: String, organizationID: String, name: String, origins: [String], now: Int64) async throws -> Project
    func projects() async throws -> [Project]
    func project(slug: String) async throws -> Project?
    func addIngestKey(_ key: String, projectSlug: String, source: RecordSource, now: Int64) async throws
    func ingestKeys(projectSlug: String?) async throws -> [IngestKeyInfo]
    /// Returns false when no active key matched.
    func revokeIngestKey(_ key: String, now: Int64) async throws -> Bool
    /// The project an active ingest key writes into, or nil.
    func resolveIngestKey(_ key: String) async throws -> IngestCredential?
    func addAPIToken(_ token: String, organizationID: String, scopes: [TokenScope], name: String?, source: RecordSource, now: Int64) async throws -> APITokenInfo
    func apiTokens(organizationID: String?) async throws -> [APITokenInfo]
    func revokeAPIToken(id: String, now: Int64) async throws -> Bool
    /// The active, unexpired token's grant, or nil.
    func resolveAPIToken(_ token: String, now: Int64) async throws -> APITokenInfo?
}

public enum TenancyError: Error, Equatable, CustomStringConvertible {
    case unknownOrganization(String)
    case unknownProject(String)
    case duplicateProject(String)
    case duplicateKey

    public var description: String {
        switch self {
        case .unknownOrganization(let id): "no organization \"\(id)\""
        case .unknownProject(let slug): "no project \"\(slug)\""
        case .duplicateProject(let slug): "project \"\(slug)\" already exists"
        case .duplicateKey: "that key is already in use"
        }
    }
}
