import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
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
            var brotli = Self.auth
            brotli[.contentEncoding] = "br"
            let (encoded, _, _) = try await post(client, "/api/1/envelope/", Self.envelope, headers: brotli)
            #expect(encoded == .unsupportedMediaType)
            #expect((try await client.json("/v1/issues?status=")["issues"] as! [Any]).isEmpty)
            #expect((try await client.json("/v1/monitors")["monitors"] as! [Any]).isEmpty)
        }
    }
}
