import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SextantCore
import Testing
@testable import SextantServer

@Suite struct SpyglassIngestTests {
    let base = Fixture.baseTs

    @Test func acceptsABatchAndServesItBack() async throws {
        try await withTestApplication { client in
            let response = try await client.postEvents([Fixture.event(base, name: "invoice_created", user: "alice", session: "s1",
                                                                      url: "/invoices/new", props: ["amount": 1200])])
            #expect(response.status == .noContent)
            #expect(response.headers[.requestID] != nil)
            let events = try await client.json("/v1/query/events?user=alice")["events"] as! [[String: Any]]
            #expect(events.count == 1)
            #expect(events[0]["name"] as? String == "invoice_created" && events[0]["app"] as? String == "inventory")
            #expect((events[0]["props"] as? [String: Any])?["amount"] as? Int == 1200)
        }
    }

    @Test func refusesBadKeysForeignKeysAndUnknownApps() async throws {
        try await withTestApplication { client in
            for (app, key) in [("inventory", "sg_live_wrong"), ("no-such-app", Fixture.spyglassKey), ("inventory", Fixture.otherKey)] {
                let response = try await client.postEvents([Fixture.event(base)], app: app, key: key)
                #expect(response.status == .unauthorized)
                #expect(try jsonObject(response.body)["error"] as? String == "unauthorized")
            }
        }
    }

    @Test func aBadEventRefusesTheWholeBatchNamingItsIndex() async throws {
        try await withTestApplication { client in
            let response = try await client.postEvents([Fixture.event(base, user: "batch"), Fixture.event(base, type: "nope", user: "batch")])
            #expect(response.status == .badRequest)
            let body = try jsonObject(response.body)
            #expect(body["index"] as? Int == 1 && (body["error"] as? String)?.contains("type") == true)
            let events = try await client.json("/v1/query/events?user=batch")["events"] as! [Any]
            #expect(events.isEmpty)
        }
    }

    @Test func browserOriginsAreCheckedUnlessTheServerKeyIsUsed() async throws {
        try await withTestApplication { client in
            let allowed = try await client.postEvents([Fixture.event(base)], headers: [.origin: "https://app.example.com"])
            #expect(allowed.status == .noContent && allowed.headers[.accessControlAllowOrigin] == "https://app.example.com")
            let refused = try await client.postEvents([Fixture.event(base)], headers: [.origin: "https://evil.example.net"])
            #expect(refused.status == .forbidden)
            let server = try await client.postEvents([Fixture.event(base)], key: Fixture.serverKey, headers: [.origin: "https://evil.example.net"])
            #expect(server.status == .noContent && server.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func preflightsAnswerForConfiguredOriginsOnly() async throws {
        try await withTestApplication { client in
            try await client.execute(uri: "/v1/events", method: .options, headers: [.origin: "https://app.example.com"]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://app.example.com")
                #expect(response.headers[.accessControlAllowMethods] == "POST, OPTIONS")
                #expect(response.headers[.accessControlMaxAge] == "86400")
            }
            try await client.execute(uri: "/v1/replay?app=billing", method: .options, headers: [.origin: "https://app.example.com"]) { response in
                // billing has no origins list, so it allows every origin
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/v1/events?app=inventory", method: .options, headers: [.origin: "https://evil.example.net"]) { response in
                #expect(response.status == .forbidden && response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test func gzipBodiesInflateWithinTheLimitAndBombsAre413() async throws {
        try await withTestApplication { client in
            let plain = Array(Fixture.eventsBody([Fixture.event(base, user: "gz")]).readableBytesView)
            let gzipped = try GzipBody.compress(plain)
            try await client.execute(uri: "/v1/events", method: .post, headers: [.contentEncoding: "gzip"], body: ByteBuffer(bytes: gzipped)) {
                #expect($0.status == .noContent)
            }
            // Beacons cannot set Content-Encoding: the gzip magic is enough.
            try await client.execute(uri: "/v1/events", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(bytes: gzipped)) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: "/v1/events", method: .post, headers: [.contentEncoding: "gzip"], body: ByteBuffer(string: "\u{1f}\u{8b}junk")) {
                #expect($0.status == .badRequest)
            }
            let bomb = try GzipBody.compress(Array(#"{"events":[],"pad":""#.utf8) + Array(repeating: UInt8(ascii: "0"), count: 4 * 1024 * 1024) + Array(#""}"#.utf8))
            try await client.execute(uri: "/v1/events", method: .post, headers: [.contentEncoding: "gzip"], body: ByteBuffer(bytes: bomb)) {
                #expect($0.status == .contentTooLarge)
            }
            let huge = Fixture.eventsBody([Fixture.event(base, user: "huge", props: ["pad": String(repeating: "x", count: 300_000)])])
            try await client.execute(uri: "/v1/events", method: .post, body: huge) { #expect($0.status == .contentTooLarge) }
            let stored = try await client.json("/v1/query/events?user=huge")["events"] as! [Any]
            #expect(stored.isEmpty)
        }
    }

    @Test func malformedJSONIsA400NeverA500() async throws {
        try await withTestApplication { client in
            for body in ["", "{", "[]", #"{"app":"inventory","key":"x","events":[{"ts":}]}"#, "\u{0}\u{1}"] {
                try await client.execute(uri: "/v1/events", method: .post, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                }
            }
        }
    }

    @Test func everyIngestResponseCarriesRateHeadersAndTheBucketRefuses() async throws {
        try await withTestApplication({ $0.organizations[0].projects[0].rateLimit = RateLimit(requestsPerSecond: 0.01, burst: 2) }) { client in
            for expected in ["1", "0"] {
                let response = try await client.postEvents([Fixture.event(base)])
                #expect(response.status == .noContent && response.headers[.rateLimitRemaining] == expected)
                #expect(response.headers[.rateLimitLimit] == "2" && response.headers[.rateLimitReset] != nil)
            }
            let refused = try await client.postEvents([Fixture.event(base)])
            // One token refills in 100 s; each second the requests took on a loaded machine shortens the wait.
            let retryAfter = refused.headers[.retryAfter].flatMap { Int($0) } ?? 0
            #expect(refused.status == .tooManyRequests && (90...100).contains(retryAfter))
            #expect(try jsonObject(refused.body)["error"] as? String == "rate limit exceeded")
            // Another project's bucket is its own.
            #expect(try await client.postEvents([Fixture.event(base)], app: "billing", key: Fixture.otherKey).status == .noContent)
        }
    }
}
