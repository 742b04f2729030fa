import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SextantCore
import Testing
@testable import SextantServer

@Suite struct SpyglassReadTests {
    let base = Fixture.baseTs

    func upload(_ client: some TestClientProtocol, session: String, seq: Int, start: Int64, extra: String = "") async throws -> TestResponse {
        let body = try GzipBody.compress(Fixture.rrwebChunk(start: start))
        return try await client.execute(
            uri: "/v1/replay?session=\(session)&seq=\(seq)&app=inventory\(extra)", method: .post,
            headers: [.spyglassKey: Fixture.spyglassKey], body: ByteBuffer(bytes: body)) { $0 }
    }

    @Test(arguments: BlobBackend.available)
    func replayChunksRoundTripAndRetriesAreSafe(_ blobs: BlobBackend) async throws {
        try await withTestApplication({ configuration in
            if blobs == .s3 {
                configuration.blobs.backend = .s3
                configuration.blobs.s3 = TestS3.settings!
            }
        }) { client in
            #expect(try await upload(client, session: "rs", seq: 1, start: base).status == .noContent)
            #expect(try await upload(client, session: "rs", seq: 2, start: base + 5000).status == .noContent)
            #expect(try await upload(client, session: "rs", seq: 2, start: base + 5000).status == .noContent)
            let conflict = try await upload(client, session: "rs", seq: 2, start: base + 7000)
            let conflictBody = try jsonObject(conflict.body)
            #expect(conflict.status == .conflict && conflictBody["error"] as? String == "chunk already exists")
            let manifest = try await client.json("/v1/sessions/rs/replay")
            let chunks = manifest["chunks"] as! [[String: Any]]
            #expect(chunks.map { $0["seq"] as! Int } == [1, 2])
            #expect(chunks[0]["ts"] as? Int64 == base && chunks[0]["end_ts"] as? Int64 == base + 400 && chunks[0]["events"] as? Int == 6)
            #expect(chunks[0]["full_snapshots"] as? [Int] == [1])
            try await client.get(chunks[1]["path"] as! String) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/gzip")
                let inflated = try GzipBody.inflate(response.body, limit: 1 << 20)
                #expect(Array(inflated.readableBytesView) == Fixture.rrwebChunk(start: base + 5000))
            }
            try await client.get("/v1/sessions/rs/replay/9") { #expect($0.status == .notFound) }
            try await client.get("/v1/sessions/never/replay") { response in
                let body = try jsonObject(response.body)
                #expect(response.status == .notFound && body["error"] as? String == "session not found")
            }
            let sessions = try await client.json("/v1/query/sessions")["sessions"] as! [[String: Any]]
            #expect(sessions.first { $0["session_id"] as? String == "rs" }?["chunk_count"] as? Int == 2)
        }
    }

    @Test func replayUploadsAreValidated() async throws {
        try await withTestApplication { client in
            #expect(try await upload(client, session: "", seq: 1, start: base).status == .badRequest)
            #expect(try await upload(client, session: "../../etc", seq: 1, start: base).status == .noContent)  // sanitised to "etc"
            #expect(try await upload(client, session: "x", seq: 0, start: base).status == .badRequest)
            try await client.execute(uri: "/v1/replay?session=x&seq=1", method: .post, headers: [.spyglassKey: "nope"],
                                     body: ByteBuffer(bytes: try GzipBody.compress(Array("[]".utf8)))) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/replay?session=x&seq=1", method: .post, headers: [.authorization: "Bearer \(Fixture.spyglassKey)"],
                                     body: ByteBuffer(string: "plain")) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/replay?session=x&seq=1&key=\(Fixture.spyglassKey)", method: .post,
                                     body: ByteBuffer(bytes: try GzipBody.compress(Array(#"{"not":"array"}"#.utf8)))) { #expect($0.status == .badRequest) }
        }
    }

    @Test func incidentSliceCoversTheMinuteBeforeAndTenSecondsAfter() async throws {
        try await withTestApplication { client in
            let t = base + 3 * Fixture.day
            let response = try await client.postEvents([
                Fixture.event(t - 60_001, name: "too-early", session: "inc"), Fixture.event(t - 60_000, name: "first-in", session: "inc"),
                Fixture.event(t, type: "error", name: "boom", session: "inc"), Fixture.event(t + 10_000, name: "last-in", session: "inc"),
                Fixture.event(t + 10_001, name: "too-late", session: "inc"), Fixture.event(t, name: "elsewhere", session: "inc-x"),
            ])
            #expect(response.status == .noContent)
            _ = try await upload(client, session: "inc", seq: 1, start: t - 200_000)
            _ = try await upload(client, session: "inc", seq: 2, start: t - 30_000)
            _ = try await upload(client, session: "inc", seq: 3, start: t + 60_000)
            let error = (try await client.json("/v1/query/events?session=inc&type=error")["events"] as! [[String: Any]])[0]
            let incident = try await client.json("/v1/incidents/\(error["id"] as! Int)")
            #expect((incident["breadcrumbs"] as! [[String: Any]]).map { $0["name"] as! String } == ["first-in", "boom", "last-in"])
            #expect(((incident["replay_cue"] as! [String: Any])["chunks"] as! [[String: Any]]).map { $0["seq"] as! Int } == [2])
            let plain = (try await client.json("/v1/query/events?session=inc&name=first-in")["events"] as! [[String: Any]])[0]
            try await client.get("/v1/incidents/\(plain["id"] as! Int)") { #expect($0.status == .badRequest) }
            try await client.get("/v1/incidents/999999") { #expect($0.status == .notFound) }
        }
    }

    /// Browsers encode a space in a query as `+` (URLSearchParams, forms); a plus arrives as `%2B`.
    @Test func aPlusInTheQueryIsASpaceAndAnEncodedPlusIsAPlus() async throws {
        try await withTestApplication { client in
            let events = [
                Fixture.event(base, name: "view_product", user: "u", props: ["product": "Rain jacket"]),
                Fixture.event(base + 1, name: "view_product", user: "u", props: ["product": "Rain+jacket"]),
            ]
            let stored = try await client.postEvents(events).status
            #expect(stored == .noContent)
            func products(_ query: String) async throws -> [String] {
                let found = try await client.json("/v1/query/events?\(query)")["events"] as! [[String: Any]]
                return found.compactMap { ($0["props"] as? [String: Any])?["product"] as? String }
            }
            #expect(try await products("prop=product%3DRain+jacket") == ["Rain jacket"])
            #expect(try await products("prop=product=Rain%20jacket") == ["Rain jacket"])
            #expect(try await products("prop=product=Rain%2Bjacket") == ["Rain+jacket"])
            // An ISO time with its offset keeps its plus when encoded, as clients encode it.
            #expect(try await products("from=2026-06-14T02:00:00.001%2B02:00").count == 1)
        }
    }

    @Test func queryParametersAreValidated() async throws {
        try await withTestApplication { client in
            for uri in ["/v1/query/events?limit=abc", "/v1/query/events?limit=0", "/v1/query/events?type=nope", "/v1/query/events?from=yesterday",
                        "/v1/query/funnel?steps=view", "/v1/query/funnel", "/v1/query/funnel?steps=a,b&window=0", "/v1/query/aggregates?limit=-1"] {
                try await client.get(uri) { #expect($0.status == .badRequest, "\(uri)") }
            }
        }
    }

    @Test func funnelWindowAndAggregatesOverHTTP() async throws {
        try await withTestApplication { client in
            _ = try await client.postEvents([
                Fixture.event(base, name: "view", user: "a"), Fixture.event(base + 5_000, name: "cart", user: "a"),
                Fixture.event(base, name: "view", user: "b"), Fixture.event(base + 120_000, name: "cart", user: "b"),
            ])
            let funnel = try await client.json("/v1/query/funnel?steps=view,cart&window=60")["steps"] as! [[String: Any]]
            #expect(funnel.map { $0["count"] as! Int } == [2, 1])
            let aggregates = try await client.json("/v1/query/aggregates")
            #expect((aggregates["dau"] as! [[String: Any]]).first?["day"] as? String == "2026-06-14")
        }
    }
}
