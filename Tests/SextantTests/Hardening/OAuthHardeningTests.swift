import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// Issue 9, item 14: OAuth 2.1 and RFC 9700 — redirect URI schemes, form-encoded scopes,
/// authenticated revocation, and metadata that trusts `public_url`, not client headers.
@Suite struct OAuthHardeningTests {
    func register(_ client: some TestClientProtocol, redirect: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        let body = #"{"client_name":"Agent","redirect_uris":["\#(redirect)"],"token_endpoint_auth_method":"none","scope":"read:lucent write:issues"}"#
        return try await client.execute(uri: "/api/oauth/register", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) {
            ($0.status, (try? jsonObject($0.body)) ?? [:])
        }
    }

    @Test(arguments: ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "vbscript:msgbox", "http://evil.example.com/cb", "about:blank"])
    func dangerousRedirectURIsAreRefused(_ uri: String) async throws {
        try await withTestApplication { client in
            let (status, body) = try await register(client, redirect: uri)
            #expect(status == .badRequest && body["error"] as? String == "invalid_redirect_uri", "\(uri): \(status) \(body)")
        }
    }

    @Test(arguments: ["https://app.example.com/cb", "http://127.0.0.1:8000/cb", "com.example.app:/oauth"])
    func safeRedirectURIsAreAccepted(_ uri: String) async throws {
        try await withTestApplication { client in
            let (status, body) = try await register(client, redirect: uri)
            #expect(status == .created, "\(uri): \(body)")
        }
    }

    @Test func aPlusInTheAuthorizeQueryIsASpace() async throws {
        try await withTestApplication { client in
            let (_, body) = try await register(client, redirect: "http://127.0.0.1:9999/cb")
            let id = try #require(body["client_id"] as? String)
            let query = "/oauth/authorize?response_type=code&client_id=\(id)&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fcb"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&scope=read:lucent+write:issues&state=s"
            let (status, page) = try await client.get(query) { ($0.status, String(buffer: $0.body)) }
            #expect(status == .ok && page.contains("read:lucent") && page.contains("write:issues"), "\(status) \(page.prefix(400))")
        }
    }

    @Test func revocationNeedsTheClientAndTouchesOnlyItsTokens() async throws {
        try await withTestApplication { client in
            let form = "token=luc_oat_whatever"
            let anonymous = try await client.execute(
                uri: "/api/oauth/revoke", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)) { $0.status }
            #expect(anonymous == .unauthorized || anonymous == .badRequest)
        }
    }

    @Test func metadataUsesPublicURLAndIgnoresForwardedHeaders() async throws {
        try await withTestApplication({ $0.publicURL = "https://sextant.example.com" }) { client in
            let issuer = try await client.execute(
                uri: "/.well-known/oauth-authorization-server", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "gopher"]) {
                    (try jsonObject($0.body))["issuer"] as? String
                }
            #expect(issuer == "https://sextant.example.com")
        }
        try await withTestApplication { client in
            let issuer = try await client.execute(
                uri: "/.well-known/oauth-authorization-server", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "gopher"]) {
                    (try jsonObject($0.body))["issuer"] as? String
                }
            #expect(issuer?.hasPrefix("gopher") == false)
        }
    }
}
