import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

@Suite struct SeeStackTests {
    static let key = "seestack_live_test"

    func withSeeStackApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTestApplication({ configuration in
            configuration.organizations[0].projects[0].keys.append(Self.key)
            configuration.organizations[0].projects[0].monitors = [MonitorConfig(slug: "nightly", schedule: "0 3 * * *", graceSeconds: 600)]
        }, body)
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ body: String, requestID: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.seeStackKey: Self.key]
        if let requestID { headers[.requestID] = requestID }
        return try await client.execute(uri: "/ingest/v1/\(path)", method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
    }

    @Test func replayIsScrubbedStoredAndEnveloped() async throws {
        try await withSeeStackApp { client in
            let response = try await post(client, "replay", #"""
                {"fingerprint":"f","sessionId":"ss-1","events":[
                  {"eventType":"input","eventData":"{\"type\":\"password\",\"value\":\"hunter2\"}","url":"/login","timestampMillis":1711886400000},
                  {"eventType":"custom","eventData":"card 4111111111111111 token=abc","url":"/pay","timestampMillis":1711886401000}]}
                """#, requestID: "req-1")
            #expect(response.status == .accepted)
            let body = try jsonObject(response.body)
            #expect(body["success"] as? Bool == true && (body["data"] as? [String: Int]) == ["eventsReceived": 2])
            #expect((body["meta"] as? [String: Any])?["requestId"] as? String == "req-1")
            let manifest = try await client.json("/v1/sessions/ss-1/replay")
            let path = (manifest["chunks"] as! [[String: Any]])[0]["path"] as! String
            let stored = try await client.get(path) { String(buffer: try GzipBody.inflate($0.body, limit: 1 << 20)) }
            #expect(!stored.contains("hunter2") && !stored.contains("4111111111111111") && !stored.contains("abc"))
            #expect(stored.contains("1111") && stored.contains("timestampMillis"))
            // The next batch of the session is its next chunk.
            _ = try await post(client, "replay", #"{"fingerprint":"f","sessionId":"ss-1","events":[{"eventType":"x","eventData":"{}","timestampMillis":1711886409000}]}"#)
            #expect((try await client.json("/v1/sessions/ss-1/replay")["chunks"] as! [Any]).count == 2)
        }
    }

    @Test func validationNamesEveryFieldAndNeverCrashes() async throws {
        try await withSeeStackApp { client in
            let response = try await post(client, "errors", #"{"message":"x","level":"loud","stackTrace":[1]}"#)
            #expect(response.status == .unprocessableContent)
            let details = try #require((try jsonObject(response.body)["error"] as? [String: Any])?["details"] as? [String: String])
            #expect(Set(details.keys) == ["exceptionClass", "level", "stackTrace"])
            for (path, body) in [("errors", "{not json"), ("replay", #"{"fingerprint":"f","sessionId":"s","events":[{"eventType":"input","timestampMillis":1}]}"#),
                                 ("logs", #"{"level":"WARNING","message":"x"}"#), ("http-requests", #"{"requests":[]}"#), ("spans", #"{"spans":[{"traceId":"t"}]}"#)] {
                #expect(try await post(client, path, body).status == .unprocessableContent, "\(path)")
            }
            try await client.execute(uri: "/ingest/v1/logs", method: .post, headers: [.allStakKey: "wrong"], body: ByteBuffer(string: "{}")) { response in
                let error = try jsonObject(response.body)["error"] as? [String: Any]
                #expect(response.status == .unauthorized && error?["code"] as? String == "INVALID_API_KEY")
            }
        }
    }

    @Test func errorsBecomeErrorEventsAndLogsAreSearchable() async throws {
        try await withSeeStackApp { client in
            let error = try await post(client, "errors", #"{"exceptionClass":"CheckoutException","message":"declined","stackTrace":["at Checkout.pay(Checkout.java:42)"],"user":{"id":"u-1","email":"a@b.c"},"sessionId":"s-9"}"#)
            #expect(error.status == .accepted)
            let id = try #require((try jsonObject(error.body)["data"] as? [String: String])?["id"])
            #expect(UUID(uuidString: id) != nil)
            let events = try await client.json("/v1/query/events?type=error&name=CheckoutException")["events"] as! [[String: Any]]
            let props = try #require(events.first?["props"] as? [String: Any])
            #expect(props["message"] as? String == "declined" && (props["stack"] as? [String])?.count == 1 && props["errorId"] as? String == id)
            #expect(events.first?["user_id"] as? String == "u-1" && events.first?["session_id"] as? String == "s-9")
            #expect(try await post(client, "logs", #"{"level":"warn","message":"disk nearly full","service":"api","traceId":"t-1"}"#).status == .accepted)
            let logs = try await client.json("/v1/query/logs?q=disk")["logs"] as! [[String: Any]]
            #expect(logs.first?["service"] as? String == "api" && logs.first?["source"] as? String == "seestack")
        }
    }

    @Test func heartbeatsDriveMonitorStatus() async throws {
        try await withSeeStackApp { client in
            let ok = try await post(client, "heartbeat", #"{"slug":"nightly","status":"SUCCESS","durationMs":5400}"#)
            let okBody = try jsonObject(ok.body)
            #expect(ok.status == .accepted && okBody["ok"] as? Bool == true)
            var monitor = (try await client.json("/v1/monitors")["monitors"] as! [[String: Any]])[0]
            #expect(monitor["status"] as? String == "healthy" && monitor["last_duration_ms"] as? Int == 5400)
            #expect(try await post(client, "heartbeat", #"{"slug":"nightly","status":"failed"}"#).status == .accepted)
            monitor = (try await client.json("/v1/monitors")["monitors"] as! [[String: Any]])[0]
            #expect(monitor["status"] as? String == "failed" && monitor["last_status"] as? String == "failed")
            let unknown = try await post(client, "heartbeat", #"{"slug":"nope","status":"success"}"#)
            #expect(unknown.status == .notFound && String(buffer: unknown.body) == #"{"ok":false,"code":"NOT_FOUND","message":"No cron monitor found with slug: nope"}"#)
            #expect(try await post(client, "heartbeat", #"{"slug":"nightly","status":"meh"}"#).status == .unprocessableContent)
        }
    }

    @Test func httpTelemetryGroupsByFoldedPathSlowestFirst() async throws {
        try await withSeeStackApp { client in
            func item(_ path: String, _ ms: Int, status: Int = 200, method: String = "get") -> String {
                #"{"traceId":"t","direction":"inbound","method":"\#(method)","host":"api.example.com","path":"\#(path)","timestamp":"2026-03-31T12:00:00Z","statusCode":\#(status),"durationMs":\#(ms)}"#
            }
            let items = (1...10).map { item("/orders/\($0)", $0 * 10, status: $0 == 10 ? 503 : 200) } + [item("/health", 1), item("/health?full=1", 3)]
            let response = try await post(client, "http-requests", #"{"requests":[\#(items.joined(separator: ","))]}"#)
            #expect(response.status == .accepted && String(buffer: response.body) == #"{"ok":true,"accepted":12}"#)
            let endpoints = try await client.json("/v1/query/requests?direction=inbound")["endpoints"] as! [[String: Any]]
            #expect(endpoints.map { $0["path"] as! String } == ["/orders/:id", "/health"])
            #expect(endpoints[0]["count"] as? Int == 10 && endpoints[0]["error_count"] as? Int == 1)
            #expect(endpoints[0]["p50_ms"] as? Int == 50 && endpoints[0]["p95_ms"] as? Int == 100 && endpoints[0]["method"] as? String == "GET")
            #expect((try await client.json("/v1/query/requests?direction=outbound")["endpoints"] as! [Any]).isEmpty)
        }
    }
}

@Suite struct SpyglassReplayScrubbingTests {
    @Test func passwordInputsAreScrubbedBeforeTheChunkIsStored() async throws {
        try await withTestApplication { client in
            let events = #"[{"type":2,"timestamp":1,"data":{"node":{"type":2,"tagName":"input","attributes":{"type":"password","value":"hunter2"}}}}]"#
            try await client.execute(uri: "/v1/replay?session=pw&seq=1", method: .post, headers: [.spyglassKey: Fixture.spyglassKey],
                                     body: ByteBuffer(bytes: try GzipBody.compress(Array(events.utf8)))) { #expect($0.status == .noContent) }
            let stored = try await client.get("/v1/sessions/pw/replay/1") { String(buffer: try GzipBody.inflate($0.body, limit: 1 << 20)) }
            #expect(!stored.contains("hunter2") && stored.contains(Scrubber.redacted))
        }
    }
}
