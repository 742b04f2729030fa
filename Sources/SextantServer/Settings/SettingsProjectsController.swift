import Hummingbird
import SextantCore

/// Projects and their ingest keys, managed from the dashboard: what an SDK needs to send is
/// shown beside each key (the key itself, the browser snippet's parts, the Sentry DSN).
struct SettingsProjectsController {
    let tenancy: any TenancyStore
    let clock: WallClock
    let publicBase: PublicBase

    func register(in settings: RouterGroup<AppRequestContext>) {
        settings.get("/projects", use: list)
        settings.post("/projects", use: create)
        settings.post("/projects/:slug/keys", use: addKey)
        settings.delete("/keys/:key", use: revokeKey)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let projects = try await tenancy.projects()
        let keys = Dictionary(grouping: try await tenancy.ingestKeys(projectSlug: nil).filter { $0.revokedAt == nil }, by: \.projectSlug)
        let organizations = try await tenancy.organizations()
        let base = publicBase.of(request)
        return .jsonObject { writer in
            writer.key("base_url"); writer.string(base)
            writer.key("organizations")
            writer.beginArray()
            for organization in organizations {
                writer.beginObject()
                writer.key("id"); writer.string(organization.id)
                writer.key("name"); writer.string(organization.name)
                writer.endObject()
            }
            writer.endArray()
            writer.key("projects")
            writer.beginArray()
            for project in projects {
                writer.beginObject()
                Self.write(project: project, into: &writer)
                writer.key("keys")
                writer.beginArray()
                for key in keys[project.slug] ?? [] {
                    writer.beginObject()
                    Self.write(key: key.key, source: key.source, createdAt: key.createdAt, project: project, base: base, into: &writer)
                    writer.endObject()
                }
                writer.endArray()
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await SettingsBody.read(request)
        let slug = try body.required("slug")
        guard ProjectSlug.isValid(slug) else { throw APIError.badRequest("slug must be 1-64 characters of letters, digits, - and _") }
        let organizationID = try await SettingsRules.organization(try body.string("organization_id"), tenancy: tenancy)
        let origins = try body.strings("origins")
        let now = clock.nowMilliseconds()
        let project = try await SettingsRules.map {
            try await tenancy.createProject(slug: slug, organizationID: organizationID, name: try body.string("name") ?? slug, origins: origins, now: now)
        }
        let key = Secrets.newIngestKey()
        try await tenancy.addIngestKey(key, projectSlug: project.slug, source: .dashboard, now: now)
        let base = publicBase.of(request)
        return .jsonObject(status: .created) { writer in
            Self.write(project: project, into: &writer)
            writer.key("key")
            writer.beginObject()
            Self.write(key: key, source: RecordSource.dashboard.rawValue, createdAt: now, project: project, base: base, into: &writer)
            writer.endObject()
        }
    }

    @Sendable func addKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        guard let project = try await tenancy.project(slug: slug) else { throw APIError.notFound("no project \"\(slug)\"") }
        let key = Secrets.newIngestKey()
        let now = clock.nowMilliseconds()
        try await tenancy.addIngestKey(key, projectSlug: project.slug, source: .dashboard, now: now)
        let base = publicBase.of(request)
        return .jsonObject(status: .created) { writer in
            Self.write(key: key, source: RecordSource.dashboard.rawValue, createdAt: now, project: project, base: base, into: &writer)
        }
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let key = try context.parameters.require("key")
        guard let found = try await tenancy.ingestKeys(projectSlug: nil).first(where: { $0.key == key && $0.revokedAt == nil }) else {
            throw APIError.notFound("no active key matches")
        }
        try SettingsRules.requireEditable(source: found.source, what: "key")
        _ = try await tenancy.revokeIngestKey(key, now: clock.nowMilliseconds())
        return Response(status: .noContent)
    }

    static func write(project: Project, into writer: inout JSONWriter) {
        writer.key("slug"); writer.string(project.slug)
        writer.key("id"); writer.integer(project.id)
        writer.key("name"); writer.string(project.name)
        writer.key("organization_id"); writer.string(project.organizationID)
        writer.key("origins")
        writer.beginArray()
        for origin in project.origins { writer.string(origin) }
        writer.endArray()
    }

    static func write(key: String, source: String, createdAt: Int64, project: Project, base: String, into writer: inout JSONWriter) {
        writer.key("key"); writer.string(key)
        writer.key("source"); writer.string(source)
        writer.key("created_at"); writer.integer(createdAt)
        writer.key("sentry_dsn"); writer.string(SentryDSN.make(key: key, base: base, projectID: project.id))
    }
}
