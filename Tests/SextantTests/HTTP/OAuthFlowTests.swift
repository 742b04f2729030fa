import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// OAuth 2.1 end to end through the router: registration, consent behind the dashboard password,
/// authorization code with PKCE S256, refresh rotation with replay detection, revocation.
@Suite struct OAuthFlowTests {
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let redirect = "http://127.0.0.1:9999/callback"

    @Test func pkceMatchesRFC7636() {
        #expect(PKCE.challenge(for: Self.verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(!PKCE.verify(verifier: "short", challenge: PKCE.challenge(for: "short")))
    }

    func form(_ client: some TestClientProtocol, _ uri: String, _ fields: [String: String], headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, [String: Any], HTTPFields) {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        var all = headers
        all[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: uri, method: .post, headers: all, body: ByteBuffer(string: body)) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (response.status, json, response.headers)
        }
    }

    func register(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(
            uri: "/api/oauth/register", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"client_name":"Agent","redirect_uris":["\#(Self.redirect)"],"token_endpoint_auth_method":"none","scope":"read:lucent write:issues"}"#)
        ) { response in
            #expect(response.status == .created)
            let json = try jsonObject(response.body)
            #expect(json["client_secret"] == nil)
            return json["client_id"] as! String
        }
    }

    func authorizeQuery(clientID: String, method: String = "S256") -> String {
        "/oauth/authorize?response_type=code&client_id=\(clientID)&redirect_uri=\(Self.redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            + "&code_challenge=\(PKCE.challenge(for: Self.verifier))&code_challenge_method=\(method)&scope=read:lucent&state=xyz"
    }

    /// Approves on the consent page as the dashboard user and returns the code from the redirect.
    func approve(_ client: some TestClientProtocol, clientID: String) async throws -> String {
        try await client.get(authorizeQuery(clientID: clientID), auth: false) { #expect($0.status == .unauthorized) }
        let page = try await client.get(authorizeQuery(clientID: clientID)) { response in
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
        #expect(page.contains("Authorize Agent") && page.contains("value=\"acme\""))
        let token = try #require(page.firstMatch(of: /name="consent_token" value="([0-9a-f]+)"/)?.1)
        let fields = [
            "response_type": "code", "client_id": clientID, "redirect_uri": Self.redirect, "code_challenge": PKCE.challenge(for: Self.verifier),
            "code_challenge_method": "S256", "scope": "read:lucent", "state": "xyz", "consent_token": String(token),
            "organization": "acme", "decision": "approve",
        ]
        let forged = try await form(client, "/oauth/authorize", fields.merging(["consent_token": "0"]) { $1 }, headers: [.authorization: Fixture.basicAuth])
        #expect(forged.0 == .badRequest)
        let (status, _, headers) = try await form(client, "/oauth/authorize", fields, headers: [.authorization: Fixture.basicAuth])
        #expect(status == .found)
        let location = try #require(headers[.location].flatMap(URLComponents.init(string:)))
        #expect(location.queryItems?.first { $0.name == "state" }?.value == "xyz")
        return try #require(location.queryItems?.first { $0.name == "code" }?.value)
    }

    @Test func authorizationCodeWithPKCEAndRefreshRotation() async throws {
        try await withTestApplication { client in
            let clientID = try await register(client)
            let plain = try await client.get(authorizeQuery(clientID: clientID, method: "plain")) { $0.headers[.location] ?? "" }
            #expect(plain.contains("error=invalid_request"))

            let code = try await approve(client, clientID: clientID)
            let exchange = ["grant_type": "authorization_code", "code": code, "redirect_uri": Self.redirect, "client_id": clientID]
            let wrongVerifier = try await form(client, "/api/oauth/token", exchange.merging(["code_verifier": String(repeating: "a", count: 43)]) { $1 })
            #expect(wrongVerifier.0 == .badRequest && wrongVerifier.1["error"] as? String == "invalid_grant")

            // A code is single-use even after a failed attempt; a fresh one exchanges with the right verifier.
            let second = try await approve(client, clientID: clientID)
            let (status, tokens, headers) = try await form(
                client, "/api/oauth/token", exchange.merging(["code": second, "code_verifier": Self.verifier]) { $1 })
            #expect(status == .ok && headers[.cacheControl] == "no-store")
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)
            #expect(access.hasPrefix("luc_oat_") && tokens["expires_in"] as? Int == 3600 && tokens["scope"] as? String == "read:lucent")
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.authorization: "Bearer \(access)"]) { #expect($0.status == .ok) }

            let rotated = try await form(client, "/api/oauth/token", ["grant_type": "refresh_token", "refresh_token": refresh, "client_id": clientID])
            let newAccess = try #require(rotated.1["access_token"] as? String)
            #expect(rotated.0 == .ok && rotated.1["refresh_token"] as? String != refresh)
            // Presenting the used refresh token again revokes the whole grant.
            let replay = try await form(client, "/api/oauth/token", ["grant_type": "refresh_token", "refresh_token": refresh, "client_id": clientID])
            #expect(replay.0 == .badRequest && replay.1["error"] as? String == "invalid_grant")
            try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.authorization: "Bearer \(newAccess)"]) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func revocationAndClientErrors() async throws {
        try await withTestApplication({ configuration in
            configuration.organizations[0].oauthClients = [OAuthClientConfig(clientID: "bot", clientSecret: "s3", scopes: [.readLucent])]
        }) { client in
            let basic = "Basic " + Data("bot:s3".utf8).base64EncodedString()
            let (status, tokens, _) = try await form(client, "/api/oauth/token", ["grant_type": "client_credentials"], headers: [.authorization: basic])
            #expect(status == .ok && tokens["refresh_token"] == nil)
            let access = try #require(tokens["access_token"] as? String)
            #expect(try await form(client, "/api/oauth/revoke", ["token": access], headers: [.authorization: basic]).0 == .ok)
            try await client.execute(uri: "/api/v1/signals", method: .get, headers: [.authorization: "Bearer \(access)"]) { #expect($0.status == .unauthorized) }
            let unsupported = try await form(client, "/api/oauth/token", ["grant_type": "password"], headers: [.authorization: basic])
            #expect(unsupported.0 == .badRequest && unsupported.1["error"] as? String == "unsupported_grant_type")
            let unknown = try await form(client, "/api/oauth/token", ["grant_type": "client_credentials", "client_id": "nobody"])
            #expect(unknown.0 == .unauthorized && unknown.2[.wwwAuthenticate] != nil)
            let metadata = try await client.json("/.well-known/oauth-authorization-server")
            #expect((metadata["code_challenge_methods_supported"] as? [String]) == ["S256"])
        }
    }
}
