import Hummingbird
import SextantCore

/// Data API tokens from the dashboard. A new token is in the create response only: the store
/// keeps its hash.
struct SettingsTokensController {
    let tenancy: any TenancyStore
    let clock: WallClock

    func register(in settings: RouterGroup<AppRequestContext>) {
        settings.get("/tokens", use: list)
        settings.post("/tokens", use: create)
        settings.delete("/tokens/:id", use: revoke)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tokens = try await tenancy.apiTokens(organizationID: nil).filter { $0.revokedAt == nil }
        return .jsonObject { writer in
            writer.key("tokens")
            writer.beginArray()
            for token in tokens {
                writer.beginObject()
                Self.write(token, into: &writer)
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await SettingsBody.read(request)
        let scopes = try body.strings("scopes").map { text in
            guard let scope = TokenScope(rawValue: text) else {
                throw APIError.badRequest("unknown scope \(text): use \(TokenScope.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            return scope
        }
        let organizationID = try await SettingsRules.organization(try body.string("organization_id"), tenancy: tenancy)
        let token = Secrets.newAPIToken()
        let info = try await tenancy.addAPIToken(
            token, organizationID: organizationID, scopes: scopes.isEmpty ? [.readLucent] : scopes, name: try body.string("name"),
            source: .dashboard, now: clock.nowMilliseconds())
        return .jsonObject(status: .created) { writer in
            Self.write(info, into: &writer)
            writer.key("token"); writer.string(token)
        }
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let token = try await tenancy.apiTokens(organizationID: nil).first(where: { $0.id == id && $0.revokedAt == nil }) else {
            throw APIError.notFound("no active token has that id")
        }
        try SettingsRules.requireEditable(source: token.source, what: "token")
        _ = try await tenancy.revokeAPIToken(id: id, now: clock.nowMilliseconds())
        return Response(status: .noContent)
    }

    static func write(_ token: APITokenInfo, into writer: inout JSONWriter) {
        writer.key("id"); writer.string(token.id)
        writer.key("name"); writer.string(token.name)
        writer.key("prefix"); writer.string(token.displayPrefix)
        writer.key("organization_id"); writer.string(token.organizationID)
        writer.key("scopes")
        writer.beginArray()
        for scope in token.scopes { writer.string(scope.rawValue) }
        writer.endArray()
        writer.key("source"); writer.string(token.source)
        writer.key("created_at"); writer.integer(token.createdAt)
    }
}
