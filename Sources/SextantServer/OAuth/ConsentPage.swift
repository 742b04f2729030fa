import Foundation
import HTTPTypes
import Hummingbird
import SextantCore

/// The authorization endpoint's consent page, behind the dashboard password (API.md §5). The form
/// carries a token bound to its request so another site cannot post an approval on the user's behalf.
struct ConsentPage: Sendable {
    let authority: OAuthAuthority
    let gate: DashboardGate
    let tenancy: any TenancyStore
    /// Signs consent forms; a restart only invalidates forms that are open at that moment.
    let formKey = Secrets.generate(prefix: "", length: 32)

    static let fields = ["client_id", "redirect_uri", "response_type", "code_challenge", "code_challenge_method", "scope", "state"]

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try gate.require(request, context: context)
        // The query is form-encoded (RFC 6749 §4.1.1): `+` is a space, as in `scope=a+b`.
        let query = FormBody(Array((request.uri.query ?? "").utf8))
        let values = Dictionary(uniqueKeysWithValues: Self.fields.compactMap { name in query[name].map { (name, $0) } })
        let authorization: OAuthAuthority.AuthorizationRequest
        do {
            authorization = try await validate(values)
        } catch let failure as AuthorizationFailure {
            return try failed(failure, values: values)
        }
        let organizations = try await organizationsFor(authorization.client)
        return page(authorization, values: values, organizations: organizations)
    }

    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        try gate.require(request, context: context)
        let form = FormBody(Array(buffer: try await request.body.collect(upTo: 64 * 1024)))
        let values = Dictionary(uniqueKeysWithValues: Self.fields.compactMap { name in form[name].map { (name, $0) } })
        guard let token = form["consent_token"], Secrets.constantTimeEquals(token, consentToken(values)) else {
            throw APIError.badRequest("The consent form expired or was not issued by this server; start the sign-in again")
        }
        let authorization: OAuthAuthority.AuthorizationRequest
        do {
            authorization = try await validate(values)
        } catch let failure as AuthorizationFailure {
            return try failed(failure, values: values)
        }
        guard form["decision"] == "approve" else {
            return redirect(authorization.redirectURI, ["error": "access_denied", "state": authorization.state])
        }
        let allowed = try await organizationsFor(authorization.client).map(\.id)
        guard let organization = form["organization"], allowed.contains(organization) else {
            throw APIError.badRequest("Choose an organization to grant access to")
        }
        let code = try await authority.approve(authorization, organizationID: organization)
        return redirect(authorization.redirectURI, ["code": code, "state": authorization.state])
    }

    private func validate(_ values: [String: String]) async throws -> OAuthAuthority.AuthorizationRequest {
        try await authority.validateAuthorization(
            clientID: values["client_id"], redirectURI: values["redirect_uri"], responseType: values["response_type"],
            codeChallenge: values["code_challenge"], challengeMethod: values["code_challenge_method"], scope: values["scope"],
            state: values["state"])
    }

    /// A configured client acts for its own organization; a registered one for any the user picks.
    private func organizationsFor(_ client: OAuthClient) async throws -> [Organization] {
        let all = try await tenancy.organizations()
        guard let own = client.organizationID else { return all }
        return all.filter { $0.id == own }
    }

    private func failed(_ failure: AuthorizationFailure, values: [String: String]) throws -> Response {
        guard failure.redirectable, let uri = values["redirect_uri"] else {
            throw APIError.plain(.badRequest, failure.error.code) { writer in
                writer.key("error_description"); writer.string(failure.error.detail)
            }
        }
        return redirect(uri, ["error": failure.error.code, "error_description": failure.error.detail, "state": values["state"]])
    }

    private func redirect(_ uri: String, _ parameters: [String: String?]) -> Response {
        var components = URLComponents(string: uri) ?? URLComponents()
        var items = components.queryItems ?? []
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            if let value { items.append(URLQueryItem(name: name, value: value)) }
        }
        components.queryItems = items
        return Response(status: .found, headers: [.location: components.string ?? uri, .cacheControl: "no-store"])
    }

    func consentToken(_ values: [String: String]) -> String {
        Secrets.sha256Hex(([formKey] + Self.fields.map { values[$0] ?? "" }).joined(separator: "\u{1F}"))
    }

    private func page(_ request: OAuthAuthority.AuthorizationRequest, values: [String: String], organizations: [Organization]) -> Response {
        let name = HTML.escape(request.client.name ?? request.client.clientID)
        let hidden = Self.fields.compactMap { field in
            values[field].map { "<input type=\"hidden\" name=\"\(field)\" value=\"\(HTML.escape($0))\">" }
        }.joined(separator: "\n")
        let options = organizations.map { "<option value=\"\(HTML.escape($0.id))\">\(HTML.escape($0.name))</option>" }.joined()
        let scopes = request.scopes.map { scope in
            "<li>\(scope == .writeIssues ? "Change the status of issues" : "Read issues, signals and insights") (<code>\(scope.rawValue)</code>)</li>"
        }.joined()
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize \(name) · Sextant</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1d2330}
            button{font:inherit;padding:.5rem 1.2rem;margin-right:.5rem;border-radius:6px;border:1px solid #889}
            button[value=approve]{background:#2456d6;color:#fff;border-color:#2456d6}select{font:inherit}</style></head>
            <body><h1>Authorize \(name)</h1>
            <p><strong>\(name)</strong> asks to act on your Sextant data:</p><ul>\(scopes)</ul>
            <form method="post" action="/oauth/authorize">
            \(hidden)
            <input type="hidden" name="consent_token" value="\(consentToken(values))">
            <p><label>Organization <select name="organization">\(options)</select></label></p>
            <p>It will be sent back to <code>\(HTML.escape(request.redirectURI))</code>.</p>
            <button name="decision" value="approve">Allow</button><button name="decision" value="deny">Deny</button>
            </form></body></html>
            """
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

enum HTML {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
