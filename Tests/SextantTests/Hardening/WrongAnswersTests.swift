import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// Issue 9, items 9, 11 and 13: nothing private leaks from a privacy-mode log, Python errors
/// group by where they were raised across every source, and no field is lost or altered.
@Suite struct WrongAnswersTests {
    static let logKey = "ll_wrong_answers"
    static let seeStackKey = "seestack_live_wrong_answers"

    func withApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTestApplication({ $0.organizations[0].projects[0].keys += [Self.logKey, Self.seeStackKey] }, body)
    }

    func post(_ client: some TestClientProtocol, _ uri: String, _ headers: HTTPFields, _ body: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)) { $0.status }
    }

    func issues(_ client: some TestClientProtocol) async throws -> [[String: Any]] {
        try await client.json("/v1/issues?status=&limit=200")["issues"] as! [[String: Any]]
    }

    @Test func aPrivacyModeLogLeaksNothingThroughItsErrorOrItsIssue() async throws {
        try await withApp { client in
            let log = #"""
                {"logs":[{"timestamp":"2026-02-01T10:00:00Z","level":"error","message":"charge failed","privacy_mode":true,
                  "error":{"type":"ChargeError","message":"card 4111111111111111 refused, token=sk_live_abc123 password: hunter2",
                           "stack_trace":["at charge (pay.ts:10)"],"password":"hunter2"}}]}
                """#
            #expect(try await post(client, "/v1/logs", [.apiKey: Self.logKey], log) == .ok)
            let stored = try await client.get("/v1/query/logs?q=ChargeError") { String(buffer: $0.body) }
            let issues = try await client.get("/v1/issues?status=") { String(buffer: $0.body) }
            for text in [stored, issues] {
                #expect(!text.contains("4111111111111111") && !text.contains("sk_live_abc123") && !text.contains("hunter2"), "\(text)")
            }
            #expect(stored.contains("ChargeError") && issues.contains("ChargeError"))
        }
    }

    /// The same ValueError raised at two sites, each reported through spyglass, SeeStack and
    /// LuminaLog (whose Python SDK sends `traceback.format_tb` chunks): two issues of three.
    @Test func pythonErrorsGroupByTheirRaiseSiteAcrossSources() async throws {
        try await withApp { client in
            func json(_ object: Any) throws -> String { String(data: try JSONSerialization.data(withJSONObject: object), encoding: .utf8)! }
            for site in ["validate_cart", "apply_coupon"] {
                // traceback.format_tb: each element is a frame line and its source line.
                let frames = [
                    "  File \"/app/main.py\", line 40, in <module>\n    run()\n",
                    "  File \"/app/shop.py\", line 12, in run\n    \(site)()\n",
                    "  File \"/app/shop.py\", line \(site == "validate_cart" ? 30 : 50), in \(site)\n    raise ValueError(\"bad\")\n",
                ]
                let stackText = "Traceback (most recent call last):\n" + frames.joined() + "ValueError: bad"
                let event: [String: Any] = ["app": "inventory", "key": Fixture.spyglassKey, "events": [
                    ["ts": 0, "type": "error", "name": "ValueError", "props": ["message": "bad", "stack": stackText]]]]
                #expect(try await post(client, "/v1/events", [:], try json(event)) == .noContent)
                let error: [String: Any] = [
                    "exceptionClass": "ValueError", "message": "bad", "stackTrace": stackText.split(separator: "\n").map(String.init)]
                #expect(try await post(client, "/ingest/v1/errors", [.seeStackKey: Self.seeStackKey], try json(error)) == .accepted)
                let log: [String: Any] = ["logs": [[
                    "timestamp": "2026-02-01T10:00:00Z", "level": "error", "message": "bad",
                    "error": ["type": "ValueError", "message": "bad", "stack_trace": frames]]]]
                #expect(try await post(client, "/v1/logs", [.apiKey: Self.logKey], try json(log)) == .ok)
            }
            let errors = try await issues(client).filter { $0["kind"] as? String == "error" }
            #expect(errors.count == 2, "\(errors.map { ($0["title"]!, $0["count"]!, $0["culprit"]!) })")
            #expect(errors.allSatisfy { $0["count"] as? Int == 3 })
            let culprits = Set(errors.compactMap { $0["culprit"] as? String })
            #expect(culprits.allSatisfy { !$0.contains("<module>") } && culprits.count == 2, "\(culprits)")
        }
    }

    @Test func fieldsArriveAsSent() async throws {
        try await withApp { client in
            let log = #"{"logs":[{"timestamp":"2026-02-01T10:00:00Z","level":"info","message":"traced","project_id":"proj-9","trace_id":"t1","span_id":"s2","parent_span_id":"s1"}]}"#
            #expect(try await post(client, "/v1/logs", [.apiKey: Self.logKey], log) == .ok)
            let stored = try #require((try await client.json("/v1/query/logs?q=traced")["logs"] as! [[String: Any]]).first)
            #expect(stored["project_id"] as? String == "proj-9" && stored["parent_span_id"] as? String == "s1")

            let error = #"{"exceptionClass":"TimeoutError","message":"slow","traceId":"trace-7","requestContext":{"method":"POST","url":"/pay"}}"#
            #expect(try await post(client, "/ingest/v1/errors", [.seeStackKey: Self.seeStackKey], error) == .accepted)
            let event = try #require((try await client.json("/v1/query/events?type=error&name=TimeoutError")["events"] as! [[String: Any]]).first)
            let props = try #require(event["props"] as? [String: Any])
            #expect(props["traceId"] as? String == "trace-7" && (props["requestContext"] as? [String: Any])?["method"] as? String == "POST")
        }
    }

    @Test func eventDataNothingWasRedactedFromIsKeptByteForByte() {
        let data = #"{"z":1,"a":{"y":2,"b":3}}"#
        #expect(SeeStackController.scrubEventData(data) == data)
        #expect(SeeStackController.scrubEventData(#"{"z":1,"password":"x"}"#).contains("REDACTED"))
    }

    @Test(arguments: [
        (#"{"password": "hunter2"}"#, #"{"password": "***REDACTED***"}"#),
        (#"login password: "x"} done"#, #"login password: "***REDACTED***"} done"#),
        ("token=abc&next=1", "token=***REDACTED***&next=1"),
        ("password=", "password="),
    ])
    func theTextScrubberKeepsWhatClosesAValue(_ text: String, _ expected: String) {
        #expect(Scrubber.scrubText(text) == expected)
    }
}
