import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SextantCore
import Testing
@testable import SextantServer

@Suite struct LuminaLogTests {
    static let key = "ll_test_inventory"

    func post(_ client: some TestClientProtocol, _ logs: String, key: String? = LuminaLogTests.key) async throws -> TestResponse {
        try await client.execute(uri: "/v1/logs", method: .post, headers: key.map { [.apiKey: $0] } ?? [:],
                                 body: ByteBuffer(string: #"{"logs":[\#(logs)]}"#)) { $0 }
    }

    @Test func ingestsAndSearchesLogsNewestFirst() async throws {
        try await withTestApplication({ $0.organizations[0].projects[0].keys.append(Self.key) }) { client in
            let response = try await post(client, #"""
                {"timestamp":"2026-02-01T10:00:00Z","level":"info","message":"checkout started for cart-7","environment":"prod"},
                {"timestamp":"2026-02-02T10:00:00Z","level":"error","message":"checkout failed","environment":"prod",
                 "error":{"type":"PaymentError","message":"card declined"}},
                {"timestamp":"2026-02-03T10:00:00Z","level":"debug","message":"unrelated","environment":"dev"}
                """#)
            #expect(response.status == .ok)
            let body = try jsonObject(response.body)
            #expect(body["processed"] as? Int == 3 && body["message"] as? String == "Logs ingested successfully")
            #expect(response.headers[.rateLimitRemaining] != nil)
            let checkout = try await client.json("/v1/query/logs?q=checkout")["logs"] as! [[String: Any]]
            #expect(checkout.map { $0["message"] as! String } == ["checkout failed", "checkout started for cart-7"])
            #expect(checkout[0]["timestamp"] as? String == "2026-02-02T10:00:00.000Z")
            // The error's text is searchable, every word must match, and punctuation is not syntax.
            #expect((try await client.json("/v1/query/logs?q=PaymentError%20declined")["logs"] as! [Any]).count == 1)
            #expect((try await client.json("/v1/query/logs?q=cart-7%20%22OR%22")["logs"] as! [Any]).isEmpty)
            #expect((try await client.json("/v1/query/logs?q=cart-7")["logs"] as! [Any]).count == 1)
            #expect((try await client.json("/v1/query/logs?level=debug")["logs"] as! [Any]).count == 1)
            #expect((try await client.json("/v1/query/logs?environment=prod&from=1769940000000")["logs"] as! [Any]).count == 2)  // from is inclusive
            #expect((try await client.json("/v1/query/logs?environment=prod&from=1769940000001")["logs"] as! [Any]).count == 1)
        }
    }

    @Test func authenticatesByHeaderOrDeprecatedBodyKey() async throws {
        try await withTestApplication({ $0.organizations[0].projects[0].keys.append(Self.key) }) { client in
            let log = #"{"timestamp":"2026-02-01T10:00:00Z","level":"info","message":"m"}"#
            #expect(try await post(client, log, key: nil).status == .unauthorized)
            #expect(try await post(client, log, key: "ll_wrong").status == .unauthorized)
            try await client.execute(uri: "/v1/logs", method: .post, body: ByteBuffer(string: #"{"api_key":"\#(Self.key)","logs":[\#(log)]}"#)) { response in
                #expect(response.status == .ok && response.headers[.deprecation] == "true")
            }
            // An invalid batch with the key in its body is a 400, not a 401.
            try await client.execute(uri: "/v1/logs", method: .post, body: ByteBuffer(string: #"{"api_key":"\#(Self.key)","logs":[{"level":"info"}]}"#)) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
