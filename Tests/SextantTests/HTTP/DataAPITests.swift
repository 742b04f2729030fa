import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Synchronization
@testable import SextantCore
import Testing
@testable import SextantServer

@Suite struct DataAPITests {
    static let readToken = "luc_api_test_read"
    static let writeToken = "luc_api_test_write"

    static func withDataAPI(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTestApplication({ configuration in
            configuration.organizations[0].tokens = [
                TokenConfig(token: readToken, scopes: [.readLucent]), TokenConfig(token: writeToken, scopes: [.readLucent, .writeIssues]),
            ]
        }, body)
    }

    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method = .get, _ uri: String, token: String? = readToken,
                     body: String? = nil) async throws -> (HTTPResponse.Status, [String: Any], HTTPFields) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            ((response.status), (try? jsonObject(response.body)) ?? [:], response.headers)
        }
    }

    @Test func issueDetailLinksTheReplayAndListsTheStepsBeforeTheError() async throws {
        try await Self.withDataAPI { client in
            let events = [
                Fixture.event(Fixture.baseTs, type: "pageview", name: "pageview", user: "u1", session: "s1", url: "https://shop.example.com/cart"),
                Fixture.event(Fixture.baseTs + 1000, name: "add_to_cart", user: "u1", session: "s1", url: "https://shop.example.com/cart"),
                Fixture.event(Fixture.baseTs + 2000, type: "error", name: "TypeError", user: "u1", session: "s1", url: "https://shop.example.com/cart",
                              props: ["message": "x is undefined", "stack": "TypeError: x is undefined\n    at pay (https://shop.example.com/app.js:10:5)"]),
                Fixture.event(Fixture.baseTs + 3000, name: "after", user: "u1", session: "s1"),
            ]
            #expect(try await client.postEvents(events).status == .noContent)
            let (status, list, headers) = try await Self.call(client, .get, "/api/v1/issues")
            #expect(status == .ok && headers[.cacheControl] == "no-store" && headers[.rateLimitLimit] == "300" && headers[.rateLimitRemaining] == "299")
            let summary = try #require((list["issues"] as? [[String: Any]])?.first)
            #expect(summary["title"] as? String == "TypeError: x is undefined" && summary["kind"] as? String == "error")
            #expect((summary["previewUrl"] as? String)?.hasSuffix("/sessions/s1?t=\(Fixture.baseTs + 2000)") == true)
            let (_, detail, _) = try await Self.call(client, .get, "/api/v1/issues/\(summary["id"] as! String)")
            let issue = try #require(detail["issue"] as? [String: Any])
            #expect(issue["stepsToReplicate"] as? [String] == ["1. Open /cart", "2. Add_to_cart on /cart", "3. Error TypeError on /cart"])
            #expect(issue["aiVerified"] is NSNull)
        }
    }

    @Test func seeStackErrorsWithoutASessionUseTheirOwnBreadcrumbs() async throws {
        try await withTestApplication({ configuration in
            configuration.organizations[0].tokens = [TokenConfig(token: Self.readToken, scopes: [.readLucent])]
            configuration.organizations[0].projects[0].keys.append("seestack_live_steps")
        }) { client in
            let body = #"{"exceptionClass":"java.lang.IllegalStateException","message":"cart locked","stackTrace":["at com.shop.Cart.lock(Cart.java:9)"],"breadcrumbs":[{"category":"navigation","message":"/cart"},{"type":"click","message":"Pay"},"submitted"]}"#
            let status = try await client.execute(uri: "/ingest/v1/errors", method: .post, headers: [.seeStackKey: "seestack_live_steps"],
                                                  body: ByteBuffer(string: body)) { $0.status }
            #expect(status == .accepted)
            let (_, list, _) = try await Self.call(client, .get, "/api/v1/issues")
            let id = try #require((list["issues"] as? [[String: Any]])?.first?["id"] as? String)
            let (_, detail, _) = try await Self.call(client, .get, "/api/v1/issues/\(id)")
            let issue = try #require(detail["issue"] as? [String: Any])
            #expect(issue["stepsToReplicate"] as? [String] == ["1. navigation: /cart", "2. click: Pay", "3. submitted"])
            #expect(issue["previewUrl"] is NSNull && issue["title"] as? String == "java.lang.IllegalStateException: cart locked")
        }
    }

    @Test func writesNeedTheWriteScopeAndKeepTicketFields() async throws {
        try await Self.withDataAPI { client in
            #expect(try await client.postEvents([Fixture.event(Fixture.baseTs, type: "error", name: "Boom", user: "u")]).status == .noContent)
            let (_, list, _) = try await Self.call(client, .get, "/api/v1/issues")
            let id = try #require((list["issues"] as? [[String: Any]])?.first?["id"] as? String)
            let denied = try await Self.call(client, .patch, "/api/v1/issues/\(id)", body: #"{"status":"resolved"}"#)
            #expect(denied.0 == .forbidden && denied.1["error"] as? String == "Missing required scope: write:issues")
            let patched = try await Self.call(
                client, .patch, "/api/v1/issues/\(id)", token: Self.writeToken,
                body: #"{"status":"ticket_created","ticketProvider":"linear","ticketUrl":"https://linear.app/x/1","ticketIdentifier":"X-1"}"#)
            let issue = try #require(patched.1["issue"] as? [String: Any])
            #expect(patched.0 == .ok && issue["status"] as? String == "ticket_created" && issue["ticketIdentifier"] as? String == "X-1")
            let basic = try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.authorization: Fixture.basicAuth], body: nil) { $0.status }
            #expect(basic == .unauthorized)
            let badCursor = try await Self.call(client, .get, "/api/v1/issues?cursor=bm90LWpzb24")
            #expect(badCursor.0 == .badRequest && badCursor.1["error"] as? String == "Invalid cursor")
        }
    }

    @Test func openAPIDocumentsEveryRoute() async throws {
        let directory = try TemporaryDirectory()
        let configuration = Fixture.configuration(dataDirectory: directory.path)
        let store = try await StoreBackend.makeSQLiteStore(directory: directory.path)
        let metrics = PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())
        let writer = BatchWriter(store: store.ingest, settings: configuration.writer, logger: .init(label: "test"), metrics: metrics)
        let disk = DiskSpaceGuard(path: directory.path, settings: configuration.storage, logger: .init(label: "test"))
        let router = buildRouter(configuration: configuration, store: store, writer: writer, disk: disk, dependencies: .init(), metrics: metrics)
        let documented = Set(OpenAPIDocument.operations.map { "\($0.method.uppercased()) \($0.path)" })
        let routed = Set(router.routes.filter { $0.method != .options }.map { "\($0.method) \($0.path)" })
        #expect(routed.subtracting(documented).isEmpty, "routes missing from /openapi.json")
        #expect(documented.subtracting(routed).isEmpty, "documented routes that do not exist")
        let json = try JSONValue.parse(OpenAPIDocument.json)
        #expect(json["paths"]?["/api/v1/issues/{issueId}"]?["patch"] != nil)
    }
}
