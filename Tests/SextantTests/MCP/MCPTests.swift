import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// `/mcp`: the JSON-RPC transport, tool errors as results, scopes and organizations (issue 14).
@Suite struct MCPTests {
    func rpc(_ client: some TestClientProtocol, _ body: String, token: String? = DataAPITests.readToken,
             headers extra: HTTPFields = [:]) async throws -> (HTTPResponse.Status, Any?, HTTPFields) {
        var headers: HTTPFields = [.contentType: "application/json", .accept: "application/json, text/event-stream"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/mcp", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)), response.headers)
        }
    }

    func toolCall(_ name: String, _ arguments: String = "{}") -> String {
        #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"\#(name)","arguments":\#(arguments)}}"#
    }

    func seedError(_ client: some TestClientProtocol) async throws {
        let error = Fixture.event(Fixture.baseTs, type: "error", name: "TypeError", user: "u1", session: "s1",
                                  props: ["message": "x is undefined", "stack": "TypeError: x is undefined\n    at pay (https://app.example.com/a.js:1:2)"])
        let posted = try await client.execute(uri: "/v1/events", method: .post, headers: [.contentType: "application/json"],
                                              body: Fixture.eventsBody([error])) { $0.status }
        #expect(posted == .noContent)
    }

    @Test func withoutATokenTheAnswerPointsAtTheResourceMetadata() async throws {
        try await DataAPITests.withDataAPI { client in
            let (status, _, headers) = try await rpc(client, #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, token: nil)
            #expect(status == .unauthorized)
            #expect(headers[.wwwAuthenticate]?.contains(#"resource_metadata=""#) == true)
            #expect(headers[.wwwAuthenticate]?.hasSuffix(#"/.well-known/oauth-protected-resource/mcp""#) == true)
            let metadata = try await client.execute(uri: "/.well-known/oauth-protected-resource/mcp", method: .get) { try jsonObject($0.body) }
            #expect((metadata["resource"] as? String)?.hasSuffix("/mcp") == true)
        }
    }

    @Test func initializeOpensASessionAndTheToolsAreListedWithSchemas() async throws {
        try await DataAPITests.withDataAPI { client in
            let (status, body, headers) = try await rpc(client, #"""
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
                """#)
            let result = (body as? [String: Any])?["result"] as? [String: Any]
            #expect(status == .ok && result?["protocolVersion"] as? String == "2025-11-25")
            let session = try #require(headers[.mcpSessionID])
            let (_, listed, _) = try await rpc(client, #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#, headers: [.mcpSessionID: session])
            let tools = ((listed as? [String: Any])?["result"] as? [String: Any])?["tools"] as? [[String: Any]] ?? []
            #expect(Set(tools.compactMap { $0["name"] as? String }) == [
                "list_projects", "list_issues", "get_issue", "update_issue_status", "list_signals", "list_insights", "search_logs",
                "get_session_timeline", "search_events", "run_funnel", "get_aggregates", "list_monitors", "query_endpoints",
                "query_database", "list_releases", "get_trace",
            ])
            #expect(tools.allSatisfy { $0["inputSchema"] != nil && $0["outputSchema"] != nil && $0["annotations"] != nil })
            // An old client's version is answered with the newest this server speaks.
            let (_, old, _) = try await rpc(client, #"{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"protocolVersion":"2024-01-01"}}"#)
            #expect(((old as? [String: Any])?["result"] as? [String: Any])?["protocolVersion"] as? String == MCPController.protocolVersions[0])
            let (unknown, _, _) = try await rpc(client, #"{"jsonrpc":"2.0","id":4,"method":"ping"}"#, headers: [.mcpSessionID: "nope"])
            #expect(unknown == .notFound)
        }
    }

    @Test func toolFailuresAreResultsThatNameTheProblem() async throws {
        try await DataAPITests.withDataAPI { client in
            try await seedError(client)
            let (_, listed, _) = try await rpc(client, toolCall("list_issues"))
            let issues = (((listed as? [String: Any])?["result"] as? [String: Any])?["structuredContent"] as? [String: Any])?["issues"] as? [[String: Any]]
            let issueID = try #require(issues?.first?["id"] as? String)

            func errorText(_ body: Any?) -> String? {
                guard let result = (body as? [String: Any])?["result"] as? [String: Any], result["isError"] as? Bool == true else { return nil }
                return ((result["content"] as? [[String: Any]])?.first?["text"] as? String)
            }
            let (_, readOnly, _) = try await rpc(client, toolCall("update_issue_status", #"{"issue_id":"\#(issueID)","status":"resolved"}"#))
            #expect(errorText(readOnly)?.contains("write:issues") == true)
            let (_, written, _) = try await rpc(client, toolCall("update_issue_status", #"{"issue_id":"\#(issueID)","status":"resolved"}"#),
                                                token: DataAPITests.writeToken)
            #expect(errorText(written) == nil)
            let (_, badArgument, _) = try await rpc(client, toolCall("search_events", #"{"limit":"ten"}"#))
            #expect(errorText(badArgument) == "limit must be an integer")
            let (_, extra, _) = try await rpc(client, toolCall("list_projects", #"{"organization":"globex"}"#))
            #expect(errorText(extra)?.contains("no argument organization") == true)
            let (_, foreign, _) = try await rpc(client, toolCall("search_logs", #"{"project":"billing"}"#))
            #expect(errorText(foreign)?.contains("no project billing") == true)
        }
    }

    @Test func batchesNotificationsAndProtocolErrors() async throws {
        try await DataAPITests.withDataAPI { client in
            let (status, body, _) = try await rpc(client, #"""
                [{"jsonrpc":"2.0","id":"a","method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},
                 {"jsonrpc":"2.0","id":2,"method":"resources/list"},{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"nope"}},
                 {"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"cursor":"x"}}]
                """#)
            let answers = body as? [[String: Any]] ?? []
            #expect(status == .ok && answers.count == 4)
            let codes = answers.map { (($0["error"] as? [String: Any])?["code"] as? Int) }
            #expect(codes == [nil, -32601, -32602, -32602])
            let (notified, _, _) = try await rpc(client, #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
            #expect(notified == .accepted)
            let (_, parse, _) = try await rpc(client, "{not json")
            #expect(((parse as? [String: Any])?["error"] as? [String: Any])?["code"] as? Int == -32700)
            let (rebinding, _, _) = try await rpc(client, #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, headers: [.origin: "https://evil.example"])
            #expect(rebinding == .forbidden)
        }
    }

    @Test func originsFromThisMachineOrTheServerItselfAreAllowed() {
        #expect(MCPController.isAllowed(origin: "http://localhost:6274", publicBase: "https://sextant.example.com"))
        #expect(MCPController.isAllowed(origin: "http://[::1]:3000", publicBase: "https://sextant.example.com"))
        #expect(MCPController.isAllowed(origin: "https://sextant.example.com", publicBase: "https://sextant.example.com"))
        #expect(!MCPController.isAllowed(origin: "https://localhost.evil.example", publicBase: "https://sextant.example.com"))
        #expect(!MCPController.isAllowed(origin: "null", publicBase: "https://sextant.example.com"))
    }

    @Test func sessionsAreBoundedAndBelongToOneOrganization() {
        let sessions = MCPSessions(capacity: 2)
        let first = sessions.open(organizationID: "acme", protocolVersion: "2025-11-25")
        let second = sessions.open(organizationID: "acme", protocolVersion: "2025-11-25")
        #expect(sessions.use(first, organizationID: "acme") != nil)
        #expect(sessions.use(first, organizationID: "globex") == nil)
        _ = sessions.open(organizationID: "acme", protocolVersion: "2025-11-25")
        // The least recently used one made room.
        #expect(sessions.use(second, organizationID: "acme") == nil && sessions.use(first, organizationID: "acme") != nil)
        #expect(sessions.close(first, organizationID: "acme") && !sessions.close(first, organizationID: "acme"))
    }
}
