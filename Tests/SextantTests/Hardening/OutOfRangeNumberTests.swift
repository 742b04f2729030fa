import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// Issue 9, item 1: a number outside its range is a 4xx naming the field, never a trap, on every
/// wire format and query parameter that converts numbers.
@Suite struct OutOfRangeNumberTests {
    /// The SeeStack app of `SeeStackTests`: its key, and a monitor `nightly`.
    let seeStackApp = SeeStackTests()

    func withApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await seeStackApp.withSeeStackApp(body)
    }

    func seeStack(_ client: some TestClientProtocol, _ path: String, _ body: String) async throws -> (HTTPResponse.Status, String) {
        let response = try await seeStackApp.post(client, path, body)
        return (response.status, String(buffer: response.body))
    }

    static let extremes = ["1e19", "-1e19", "1e300", "-9223372036854775808", "9223372036854775807"]

    @Test(arguments: extremes) func seeStackNumbersOutOfRangeAreNamed422s(_ value: String) async throws {
        try await withApp { client in
            let cases: [(String, String, String)] = [
                ("replay", #"{"fingerprint":"f","sessionId":"s","events":[{"eventType":"click","eventData":"{}","timestampMillis":\#(value)}]}"#,
                 "events[0].timestampMillis"),
                ("http-requests", #"{"requests":[{"direction":"inbound","method":"GET","host":"h","path":"/","timestamp":"2026-06-14T00:00:00Z","statusCode":200,"durationMs":1,"requestSize":\#(value)}]}"#,
                 "requests[0].requestSize"),
                ("spans", #"{"spans":[{"traceId":"t","spanId":"s","startTimeMillis":\#(value)}]}"#, "spans[0].startTimeMillis"),
                ("heartbeat", #"{"slug":"nightly","status":"success","durationMs":\#(value)}"#, "durationMs"),
            ]
            for (path, body, field) in cases {
                let (status, text) = try await seeStack(client, path, body)
                // Negative sizes and durations were already refused; every case names its field.
                #expect(status == .unprocessableContent, "\(path) with \(value): \(status) \(text)")
                #expect(text.contains(field), "\(path) should name \(field): \(text)")
            }
        }
    }

    @Test func heartbeatDurationOfTheWrongTypeIsA422() async throws {
        try await withApp { client in
            let (status, text) = try await seeStack(client, "heartbeat", #"{"slug":"nightly","status":"success","durationMs":"x"}"#)
            #expect(status == .unprocessableContent && text.contains("durationMs"), "\(status) \(text)")
        }
    }

    @Test func aHugeHeartbeatAfterASuccessfulRunIsRefusedAndTheServerGoesOn() async throws {
        try await withApp { client in
            let first = try await seeStack(client, "heartbeat", #"{"slug":"nightly","status":"success","durationMs":1000}"#).0
            let huge = try await seeStack(client, "heartbeat", #"{"slug":"nightly","status":"success","durationMs":1e300}"#).0
            let next = try await seeStack(client, "heartbeat", #"{"slug":"nightly","status":"success","durationMs":1200}"#).0
            #expect(first == .accepted && huge == .unprocessableContent && next == .accepted)
        }
    }

    @Test(arguments: [
        ("/v1/query/funnel?steps=a,b&window=10000000000000000", "window"),
        ("/v1/query/events?from=-9223372036854775808", "from"),
        ("/v1/query/events?to=99999999999999999", "to"),
        ("/v1/query/aggregates?from=-1", "from"),
    ])
    func queryParametersOutOfRangeAre400sNamingThem(_ uri: String, _ name: String) async throws {
        try await withApp { client in
            let (status, text) = try await client.get(uri) { ($0.status, String(buffer: $0.body)) }
            #expect(status == .badRequest && text.contains(name), "\(uri): \(status) \(text)")
        }
    }

    @Test func spyglassReplayTimesAndSequencesOutOfRangeAre400s() async throws {
        try await withApp { client in
            let chunk = ByteBuffer(bytes: Fixture.rrwebChunk(start: Fixture.baseTs))
            for query in ["ts=-9223372036854775808", "ts=1e19", "seq=9223372036854775807"] {
                let uri = "/v1/replay?session=s1&app=inventory&\(query.hasPrefix("seq") ? query : "seq=1&\(query)")"
                let status = try await client.execute(uri: uri, method: .post, headers: [.spyglassKey: Fixture.spyglassKey], body: chunk) { $0.status }
                #expect(status == .badRequest, "\(query): \(status)")
            }
            // And the sessions list still answers.
            #expect(try await client.get("/v1/query/sessions") { $0.status } == .ok)
        }
    }

    @Test(arguments: ["1e19", "-1", "1e300"]) func spyglassEventTimesOutOfRangeAre400s(_ ts: String) async throws {
        try await withApp { client in
            let body = #"{"app":"inventory","key":"\#(Fixture.spyglassKey)","events":[{"ts":\#(ts),"type":"event","name":"x"}]}"#
            let (status, text) = try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(string: body)) {
                ($0.status, String(buffer: $0.body))
            }
            #expect(status == .badRequest && text.contains("ts must"), "\(ts): \(status) \(text)")
        }
    }
}
