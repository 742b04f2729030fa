import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import CompressNIO
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// `/api/:project_id/envelope/` and `/store/` over HTTP (issue 12).
@Suite struct SentryIngestTests {
    static let envelope = """
        {"event_id":"0123456789abcdef0123456789abcdef","sent_at":"2026-06-01T00:00:00Z"}
        {"type":"event"}
        {"event_id":"0123456789abcdef0123456789abcdef","exception":{"values":[{"type":"TypeError","value":"x is undefined"}]}}
        {"type":"check_in"}
        {"check_in_id":"c1","monitor_slug":"hourly","status":"ok","monitor_config":{"schedule":{"type":"interval","value":1,"unit":"hour"}}}
        {"type":"profile_chunk"}
        {}

        """

    func post(_ client: some TestClientProtocol, _ path: String, _ body: String, headers: HTTPFields) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    static let auth: HTTPFields = [.sentryAuth: "Sentry sentry_key=\(Fixture.spyglassKey), sentry_version=7, sentry_client=sentry.python/2.75.0"]

    @Test func anEnvelopeStoresItsEventAndCreatesItsMonitor() async throws {
        try await withTestApplication { client in
            let (status, body, _) = try await post(client, "/api/1/envelope/", Self.envelope, headers: Self.auth)
            #expect(status == .ok && body == #"{"id":"0123456789abcdef0123456789abcdef"}"#)
            let issues = try await client.json("/v1/issues?status=")["issues"] as! [[String: Any]]
            #expect(issues.map { $0["title"] as? String } == ["TypeError: x is undefined"])
            let monitors = try await client.json("/v1/monitors")["monitors"] as! [[String: Any]]
            #expect(monitors.first?["slug"] as? String == "hourly" && monitors.first?["schedule"] as? String == "1h")
            #expect(monitors.first?["last_status"] as? String == "success")
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains(#"sextant_ingest_skipped_items_total{route="/api/:project_id/envelope/",type="profile_chunk"} 1"#), "\(metrics)")
            // A later monitor_config changes the schedule and keeps the monitor and its last run.
            let changed = Self.envelope.replacingOccurrences(of: #""value":1,"unit":"hour""#, with: #""value":30,"unit":"minute""#)
                .replacingOccurrences(of: #""status":"ok""#, with: #""status":"in_progress""#)
            _ = try await post(client, "/api/1/envelope/", changed, headers: Self.auth)
            let updated = try await client.json("/v1/monitors")["monitors"] as! [[String: Any]]
            #expect(updated.count == 1 && updated.first?["schedule"] as? String == "30m" && updated.first?["id"] as? String == monitors.first?["id"] as? String)
            #expect(updated.first?["last_status"] as? String == "success")
        }
    }

    @Test func aDeflatedEnvelopeIsInflated() async throws {
        var plain = ByteBuffer(string: Self.envelope)
        let compressed = try plain.compress(with: .zlib())
        var deflated = Self.auth
        deflated[.contentEncoding] = "deflate"
        let headers = deflated
        try await withTestApplication { client in
            let status = try await client.execute(uri: "/api/1/envelope/", method: .post, headers: headers, body: compressed) { $0.status }
            #expect(status == .ok)
            #expect((try await client.json("/v1/issues?status=")["issues"] as! [Any]).count == 1)
        }
    }

    @Test func theKeyMayComeInTheQueryAndTheProjectByItsSlug() async throws {
        try await withTestApplication { client in
            let (status, _, _) = try await post(client, "/api/inventory/store/?sentry_key=\(Fixture.spyglassKey)",
                                                #"{"message":"plain message","level":"info"}"#, headers: [:])
            #expect(status == .ok)
            let events = try await client.json("/v1/query/events?type=error")["events"] as! [[String: Any]]
            #expect(events.map { $0["name"] as? String } == ["Message"])
        }
    }

    @Test func attachmentsAreKeptOncePerEventAndDownloadedNeverRendered() async throws {
        let html = "<script>alert(1)</script>\n<p>log</p>"
        let envelope = """
            {"event_id":"aaaabbbbccccddddeeeeffff00001111"}
            {"type":"event"}
            {"exception":{"values":[{"type":"IOError","value":"disk"}]}}
            {"type":"attachment","length":\(html.utf8.count),"filename":"debug.html","content_type":"text/html"}
            \(html)

            """
        try await withTestApplication { client in
            for _ in 0..<2 {
                let (status, _, _) = try await post(client, "/api/1/envelope/", envelope, headers: Self.auth)
                #expect(status == .ok)
            }
            let listed = try await client.json("/v1/attachments?event_id=aaaabbbbccccddddeeeeffff00001111")["attachments"] as! [[String: Any]]
            #expect(listed.count == 1 && listed.first?["filename"] as? String == "debug.html" && listed.first?["byte_size"] as? Int == html.utf8.count)
            let id = try #require(listed.first?["id"] as? Int)
            let (body, headers) = try await client.get("/v1/attachments/\(id)") { (String(buffer: $0.body), $0.headers) }
            #expect(body == html && headers[.contentType] == "application/octet-stream")
            #expect(headers[.contentDisposition]?.hasPrefix("attachment") == true && headers[.contentSecurityPolicy]?.contains("sandbox") == true)
        }
    }

    @Test func aThrottledSDKIsToldHowLongToBackOff() async throws {
        try await withTestApplication({ configuration in
            configuration.organizations[0].projects[0].rateLimit = RateLimit(requestsPerSecond: 0.01, burst: 1)
        }) { client in
            let (first, _, _) = try await post(client, "/api/1/store/", #"{"message":"one"}"#, headers: Self.auth)
            let (second, _, headers) = try await post(client, "/api/1/store/", #"{"message":"two"}"#, headers: Self.auth)
            #expect(first == .ok && second == .tooManyRequests)
            let retry = try #require(headers[.retryAfter])
            #expect(headers[.sentryRateLimits] == "\(retry)::project")
        }
    }

    @Test func refusalsStoreNothingAndSayWhy() async throws {
        try await withTestApplication { client in
            let (unknown, _, _) = try await post(client, "/api/1/envelope/", Self.envelope, headers: [.sentryAuth: "Sentry sentry_key=nope"])
            #expect(unknown == .unauthorized)
            let (otherProject, otherBody, _) = try await post(client, "/api/2/envelope/", Self.envelope, headers: Self.auth)
            #expect(otherProject == .forbidden && otherBody.contains("not 2"))
            // The event is fine, the check-in is not: nothing of the envelope is kept.
            let broken = Self.envelope.replacingOccurrences(of: #""status":"ok""#, with: #""status":"maybe""#)
            let (malformed, reason, _) = try await post(client, "/api/1/envelope/", broken, headers: Self.auth)
            #expect(malformed == .badRequest && reason.contains("in_progress, ok or error"))
            var deflated = Self.auth
            deflated[.contentEncoding] = "deflate"
            let (corrupt, _, _) = try await post(client, "/api/1/envelope/", "not zlib", headers: deflated)
            #expect(corrupt == .badRequest)
            var brotli = Self.auth
            brotli[.contentEncoding] = "br"
            let (encoded, _, _) = try await post(client, "/api/1/envelope/", Self.envelope, headers: brotli)
            #expect(encoded == .unsupportedMediaType)
            #expect((try await client.json("/v1/issues?status=")["issues"] as! [Any]).isEmpty)
            #expect((try await client.json("/v1/monitors")["monitors"] as! [Any]).isEmpty)
        }
    }
}

/// Sentry browser replays: each recording segment becomes a chunk of the replay's session (issue 12).
@Suite struct SentryReplayIngestTests {
    func envelope(replayID: String, segment: Int, recording: [UInt8]) -> [UInt8] {
        let replayEvent = #"{"type":"replay_event","replay_id":"\#(replayID)","segment_id":\#(segment),"urls":["https://app.example.com/cart"],"user":{"id":"u9"}}"#
        var payload = Array(#"{"segment_id":\#(segment)}"#.utf8) + [UInt8(ascii: "\n")]
        payload += recording
        var body = Array(#"{"event_id":"\#(replayID)"}"#.utf8) + [10]
        body += Array(#"{"type":"replay_event","length":\#(replayEvent.utf8.count)}"#.utf8) + [10] + Array(replayEvent.utf8) + [10]
        body += Array(#"{"type":"replay_recording","length":\#(payload.count)}"#.utf8) + [10] + payload + [10]
        return body
    }

    @Test(.enabled(if: SharedRecordings.present, "../shared/fixtures/rrweb is absent: the shared recordings live beside the project"))
    func segmentsPlainAndCompressedBecomeChunksOfTheReplaySession() async throws {
        let recording = try [UInt8](Data(contentsOf: SharedRecordings.directory.appendingPathComponent("rrweb-form-interactions.json")))
        var plain = ByteBuffer(bytes: recording)
        let compressed = Array(try plain.compress(with: .zlib()).readableBytesView)
        try await withTestApplication { client in
            for (segment, bytes) in [(0, recording), (1, compressed)] {
                let status = try await client.execute(
                    uri: "/api/1/envelope/", method: .post, headers: SentryIngestTests.auth,
                    body: ByteBuffer(bytes: envelope(replayID: "7a3f0c9e1b2d4e5f8a6b7c8d9e0f1a2b", segment: segment, recording: bytes))
                ) { $0.status }
                #expect(status == .ok)
            }
            let manifest = try await client.json("/v1/sessions/7a3f0c9e1b2d4e5f8a6b7c8d9e0f1a2b/replay")
            let chunks = manifest["chunks"] as? [[String: Any]] ?? []
            #expect(chunks.map { $0["seq"] as? Int } == [0, 1], "\(manifest)")
            #expect(chunks.allSatisfy { $0["events"] as? Int == 38 })
            let sessions = try await client.json("/v1/query/sessions")["sessions"] as! [[String: Any]]
            #expect(sessions.first?["user_id"] as? String == "u9" && sessions.first?["entry_url"] as? String == "https://app.example.com/cart")
            // A recording without its replay event cannot be placed: refused, nothing stored.
            let orphan = Array(#"{}"#.utf8) + [10] + Array(#"{"type":"replay_recording"}"#.utf8) + [10] + Array(#"{"segment_id":2}"#.utf8) + [10]
            let refused = try await client.execute(uri: "/api/1/envelope/", method: .post, headers: SentryIngestTests.auth,
                                                   body: ByteBuffer(bytes: orphan)) { $0.status }
            #expect(refused == .badRequest)
        }
    }
}
