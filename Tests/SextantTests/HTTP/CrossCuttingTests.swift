import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SextantCore
import Testing
@testable import SextantServer

@Suite struct CrossCuttingTests {
    @Test func healthAndMetricsAreOpenAndRequestIdsAreEchoed() async throws {
        try await withTestApplication { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [.requestID: "abc-123"]) { response in
                #expect(response.status == .ok && String(buffer: response.body) == #"{"status":"ok"}"#)
                #expect(response.headers[.requestID] == "abc-123")
            }
            _ = try await client.postEvents([Fixture.event(Fixture.baseTs), Fixture.event(Fixture.baseTs + 1)])
            _ = try await client.postEvents([Fixture.event(Fixture.baseTs)], key: "wrong")
            try await client.get("/metrics", auth: false) { response in
                let text = String(buffer: response.body)
                #expect(response.status == .ok && text.contains("# TYPE sextant_http_requests_total counter"))
                #expect(text.contains(#"sextant_ingest_items_total{route="/v1/events",project="inventory"} 2"#))
                #expect(text.contains(#"sextant_ingest_rejected_total{route="/v1/events",reason="unauthorized"} 1"#))
                #expect(text.contains("sextant_batch_writer_commit_seconds"))
            }
        }
    }

    @Test func readsAndTheDashboardNeedThePassword() async throws {
        try await withTestApplication { client in
            try await client.get("/v1/query/events", auth: false) { #expect($0.status == .unauthorized) }
            try await client.get("/", auth: false) { response in
                #expect(response.status == .unauthorized && response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            }
            let wrong = "Basic " + Data("admin:nope".utf8).base64EncodedString()
            try await client.execute(uri: "/v1/query/users", method: .get, headers: [.authorization: wrong]) { #expect($0.status == .unauthorized) }
            let home = try await client.get("/") { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                return String(buffer: response.body)
            }
            #expect(home.contains("Sextant"))
            try await client.get("/sessions/some-session") { #expect(String(buffer: $0.body) == home) }
            try await client.get("/sessions/some-session", auth: false) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func withoutAPasswordReadsAreOpen() async throws {
        try await withTestApplication({ $0.dashboardPassword = nil }) { client in
            try await client.get("/v1/query/events", auth: false) { #expect($0.status == .ok) }
        }
    }

    @Test func unknownAPIRoutesAreJSON404AndWrongMethodsJSON405() async throws {
        try await withTestApplication { client in
            for uri in ["/v1/query/nope", "/api/v1/nope", "/ingest/v1/nope", "/oauth/nope"] {
                try await client.get(uri) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    let body = try jsonObject(response.body)
                    #expect(body["error"] != nil)
                }
            }
            try await client.execute(uri: "/v1/events", method: .get) { response in
                let body = try jsonObject(response.body)
                #expect(response.status == .methodNotAllowed && body["error"] as? String == "method not allowed")
            }
            try await client.execute(uri: "/v1/sessions/abc/replay", method: .delete, headers: [.authorization: Fixture.basicAuth]) {
                #expect($0.status == .methodNotAllowed)
            }
        }
    }

    @Test func liveSocketsCarryGzipAndCORS() async throws {
        let directory = try TemporaryDirectory()
        let app = try await buildApplication(configuration: Fixture.configuration(dataDirectory: directory.path))
        try await app.test(.live) { client in
            let gzipped = try GzipBody.compress(Array(Fixture.eventsBody([Fixture.event(Fixture.baseTs, user: "live")]).readableBytesView))
            try await client.execute(uri: "/v1/events", method: .post,
                                     headers: [.contentEncoding: "gzip", .origin: "https://app.example.com"], body: ByteBuffer(bytes: gzipped)) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
                #expect(response.headers[.vary] == "Origin")
            }
            let events = try await client.json("/v1/query/events?user=live")["events"] as! [Any]
            #expect(events.count == 1)
        }
    }
}
