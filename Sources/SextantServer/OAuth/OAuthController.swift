import Foundation
import HTTPTypes
import Hummingbird
import SextantCore

/// OAuth 2.1 endpoints (API.md §5): metadata, the consent page, token, registration, revocation.
struct OAuthController {
    let authority: OAuthAuthority
    let consent: ConsentPage
    let publicBase: PublicBase
    let bodyLimit = 64 * 1024

    func register(in router: Router<AppRequestContext>) {
        router.get("/.well-known/oauth-authorization-server", use: authorizationServerMetadata)
        router.get("/.well-known/oauth-protected-resource", use: protectedResourceMetadata)
        // RFC 9728 §3.1: the metadata of the resource at `/mcp`, where MCP clients look for it.
        router.get("/.well-known/oauth-protected-resource/mcp", use: mcpResourceMetadata)
        router.get("/oauth/authorize", use: consent.show)
        router.post("/oauth/authorize", use: consent.decide)
        router.post("/api/oauth/token", use: token)
        router.post("/api/oauth/register", use: registerClient)
        router.post("/api/oauth/revoke", use: revoke)
    }

    @Sendable func authorizationServerMetadata(_ request: Request, context: AppRequestContext) async throws -> Response {
        let base = publicBase.of(request)
        return .jsonObject { writer in
            writer.key("issuer"); writer.string(base)
            writer.key("authorization_endpoint"); writer.string(base + "/oauth/authorize")
            writer.key("token_endpoint"); writer.string(base + "/api/oauth/token")
            writer.key("registration_endpoint"); writer.string(base + "/api/oauth/register")
            writer.key("revocation_endpoint"); writer.string(base + "/api/oauth/revoke")
            Self.list(&writer, "response_types_supported", ["code"])
            Self.list(&writer, "grant_types_supported", ["authorization_code", "refresh_token", "client_credentials"])
            Self.list(&writer, "code_challenge_methods_supported", ["S256"])
            Self.list(&writer, "token_endpoint_auth_methods_supported", ["client_secret_basic", "client_secret_post", "none"])
            Self.list(&writer, "revocation_endpoint_auth_methods_supported", ["client_secret_basic", "client_secret_post", "none"])
            Self.list(&writer, "scopes_supported", TokenScope.allCases.map(\.rawValue))
        }
    }

    @Sendable func protectedResourceMetadata(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.resourceMetadata(base: publicBase.of(request), path: "", name: "Sextant Data API")
    }

    @Sendable func mcpResourceMetadata(_ request: Request, context: AppRequestContext) async throws -> Response {
        Self.resourceMetadata(base: publicBase.of(request), path: "/mcp", name: "Sextant MCP server")
    }

    static func resourceMetadata(base: String, path: String, name: String) -> Response {
        .jsonObject { writer in
            writer.key("resource"); writer.string(base + path)
            Self.list(&writer, "authorization_servers", [base])
            Self.list(&writer, "scopes_supported", TokenScope.allCases.map(\.rawValue))
            Self.list(&writer, "bearer_methods_supported", ["header"])
            writer.key("resource_name"); writer.string(name)
        }
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answering {
            let form = FormBody(Array(buffer: try await request.body.collect(upTo: bodyLimit)))
            let basic = Self.basicCredentials(request)
            let client = try await authority.authenticateClient(id: basic?.id ?? form["client_id"], secret: basic?.secret ?? form["client_secret"])
            let tokens: OAuthAuthority.Tokens
            switch form["grant_type"] {
            case "authorization_code":
                tokens = try await authority.exchangeCode(
                    client: client, code: form["code"], redirectURI: form["redirect_uri"], verifier: form["code_verifier"])
            case "refresh_token":
                tokens = try await authority.refresh(client: client, refreshToken: form["refresh_token"], scope: form["scope"])
            case "client_credentials":
                tokens = try await authority.clientCredentials(client: client, scope: form["scope"])
            case nil:
                throw OAuthError.invalidRequest("grant_type is required")
            case let other?:
                throw OAuthError.unsupportedGrantType("grant_type \(other) is not supported")
            }
            return .jsonObject(headers: Self.noStore) { writer in
                writer.key("access_token"); writer.string(tokens.accessToken)
                writer.key("token_type"); writer.string("Bearer")
                writer.key("expires_in"); writer.integer(tokens.expiresIn)
                if let refresh = tokens.refreshToken { writer.key("refresh_token"); writer.string(refresh) }
                writer.key("scope"); writer.string(tokens.scopes.map(\.rawValue).joined(separator: " "))
            }
        }
    }

    @Sendable func registerClient(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answering {
            let body = Array(buffer: try await request.body.collect(upTo: bodyLimit))
            guard let json = try? JSONValue.parse(body), json.objectValue != nil else {
                throw OAuthError("invalid_client_metadata", "The body must be a JSON object")
            }
            let uris = json["redirect_uris"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let (client, secret) = try await authority.register(
                name: json["client_name"]?.stringValue, redirectURIs: uris, authMethod: json["token_endpoint_auth_method"]?.stringValue,
                scope: json["scope"]?.stringValue)
            return .jsonObject(status: .created, headers: Self.noStore) { writer in
                writer.key("client_id"); writer.string(client.clientID)
                if let secret {
                    writer.key("client_secret"); writer.string(secret)
                    writer.key("client_secret_expires_at"); writer.integer(0)
                }
                writer.key("client_id_issued_at"); writer.integer(Int64(Date().timeIntervalSince1970))
                writer.key("client_name"); writer.string(client.name)
                Self.list(&writer, "redirect_uris", client.redirectURIs)
                Self.list(&writer, "grant_types", ["authorization_code", "refresh_token"])
                Self.list(&writer, "response_types", ["code"])
                writer.key("token_endpoint_auth_method"); writer.string(secret == nil ? "none" : json["token_endpoint_auth_method"]?.stringValue ?? "client_secret_basic")
                writer.key("scope"); writer.string(client.scopes.map(\.rawValue).joined(separator: " "))
            }
        }
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await answering {
            let form = FormBody(Array(buffer: try await request.body.collect(upTo: bodyLimit)))
            let basic = Self.basicCredentials(request)
            let client = try await authority.authenticateClient(id: basic?.id ?? form["client_id"], secret: basic?.secret ?? form["client_secret"])
            try await authority.revoke(client: client, token: form["token"])
            return .jsonObject(headers: Self.noStore) { _ in }
        }
    }

    /// Renders `OAuthError`s as RFC 6749 bodies: `invalid_client` 401 with a Basic challenge, the rest 400.
    private func answering(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as OAuthError {
            var fields = Self.noStore
            if error.isClientAuthentication { fields[.wwwAuthenticate] = "Basic realm=\"sextant\"" }
            throw APIError.plain(error.isClientAuthentication ? .unauthorized : .badRequest, error.code) { writer in
                writer.key("error_description"); writer.string(error.detail)
            }.with(headers: fields)
        }
    }

    static let noStore: HTTPFields = [.cacheControl: "no-store"]

    /// RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding.
    static func basicCredentials(_ request: Request) -> (id: String, secret: String)? {
        guard let (user, password) = request.basicCredentials else { return nil }
        return (user.removingPercentEncoding ?? user, password.removingPercentEncoding ?? password)
    }

    static func list(_ writer: inout JSONWriter, _ key: String, _ values: [String]) {
        writer.key(key)
        writer.beginArray()
        for value in values { writer.string(value) }
        writer.endArray()
    }
}

extension APIError {
    func with(headers extra: HTTPFields) -> APIError {
        var copy = self
        copy.headers.append(contentsOf: extra)
        return copy
    }
}
