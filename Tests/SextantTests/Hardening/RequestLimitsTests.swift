import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// Issue 9, items 4, 5, 12, 15 and 16: bounded key cache, bytes in flight, percent-decoded
/// path parameters, throttled password guesses, HEAD, Allow and the dashboard's CSP.
@Suite struct RequestLimitsTests {
    @Test func anAbsurdlyLongKeyIsRefusedWithoutALookup() async throws {
        try await withTestApplication { client in
            let key = String(repeating: "k", count: 2_000_000)
            let body = ByteBuffer(string: #"{"app":"inventory","key":"\#(key)","events":[]}"#)
            let status = try await client.execute(uri: "/v1/events", method: .post, body: body) { $0.status }
            // The body limit (256 KiB in tests) answers first here; a shorter absurd key is a 401.
            #expect(status == .contentTooLarge)
            let shorter = ByteBuffer(string: #"{"app":"inventory","key":"\#(String(repeating: "k", count: 300))","events":[]}"#)
            #expect(try await client.execute(uri: "/v1/events", method: .post, body: shorter) { $0.status } == .unauthorized)
        }
    }

    @Test func theInFlightBudgetRefusesWhatItCannotHold() throws {
        let budget = InFlightBytes(capacity: 1_000)
        let first = InFlightBytes.Lease(budget: budget)
        try first.take(800)
        let second = InFlightBytes.Lease(budget: budget)
        #expect(throws: APIError.self) { try second.take(300) }
        try second.take(200)
        first.releaseAll()
        second.releaseAll()
        #expect(budget.bytesInUse == 0)
        // One request larger than the whole budget still runs alone.
        let large = InFlightBytes.Lease(budget: budget)
        try large.take(5_000)
        large.releaseAll()
    }

    @Test func aRequestBeyondTheBudgetGets503WithRetryAfter() async throws {
        try await withTestApplication({ $0.limits.maxInFlightBytes = 1 }) { client in
            // Alone, a request always runs (nothing else holds the budget)...
            let response = try await client.postEvents([Fixture.event(Fixture.baseTs)])
            #expect(response.status == .noContent)
        }
        let budget = InFlightBytes(capacity: 100)
        let holder = InFlightBytes.Lease(budget: budget)
        try holder.take(100)
        let refused = #expect(throws: APIError.self) { try InFlightBytes.Lease(budget: budget).take(10) }
        #expect(refused?.status == .serviceUnavailable && refused?.headers[.retryAfter] == "1")
    }

    @Test func pathParametersArePercentDecodedAndManifestPathsEncoded() async throws {
        try await withTestApplication({ $0.organizations[0].projects[0].keys.append("seestack_live_paths") }) { client in
            // SeeStack keeps a session id as sent, characters that need escaping included.
            let body = ByteBuffer(string: #"{"fingerprint":"f","sessionId":"lucent:sess 1","events":[{"eventType":"click","eventData":"{}","timestampMillis":1711886400000}]}"#)
            let stored = try await client.execute(
                uri: "/ingest/v1/replay", method: .post, headers: [.seeStackKey: "seestack_live_paths"], body: body) { $0.status }
            #expect(stored == .accepted)
            let manifest = try await client.json("/v1/sessions/lucent%3Asess%201/replay")
            let path = try #require((manifest["chunks"] as? [[String: Any]])?.first?["path"] as? String)
            #expect(path == "/v1/sessions/lucent%3Asess%201/replay/1")
            #expect(try await client.get(path) { $0.status } == .ok)
        }
    }

    @Test func wrongPasswordsAreThrottledPerAddress() throws {
        let throttle = LoginThrottle(maxFailures: 3, window: .seconds(60))
        for _ in 0..<3 {
            #expect(throttle.retryAfter("1.2.3.4") == nil)
            throttle.recordFailure("1.2.3.4")
        }
        let wait = try #require(throttle.retryAfter("1.2.3.4"))
        #expect(wait >= 1 && wait <= 60)
        #expect(throttle.retryAfter("5.6.7.8") == nil)
    }

    @Test func theGateRefusesEvenTheRightPasswordOnceThrottled() async throws {
        try await withTestApplication { client in
            let wrong = "Basic " + Data("admin:nope".utf8).base64EncodedString()
            for _ in 0..<10 {
                let status = try await client.execute(uri: "/v1/query/events", method: .get, headers: [.authorization: wrong]) { $0.status }
                #expect(status == .unauthorized)
            }
            let (status, retry) = try await client.execute(uri: "/v1/query/events", method: .get, headers: [.authorization: Fixture.basicAuth]) {
                ($0.status, $0.headers[.retryAfter])
            }
            #expect(status == .tooManyRequests && retry != nil)
        }
    }

    @Test func headIsGetWithoutABodyAnd405NamesWhatIsAllowed() async throws {
        try await withTestApplication { client in
            let (status, body) = try await client.execute(uri: "/healthz", method: .head) { ($0.status, $0.body.readableBytes) }
            #expect(status == .ok && body == 0, "\(status) \(body)")
            let dashboard = try await client.execute(uri: "/", method: .head, headers: [.authorization: Fixture.basicAuth]) { $0.status }
            #expect(dashboard == .ok)
            let (notAllowed, allow) = try await client.execute(uri: "/healthz", method: .delete) { ($0.status, $0.headers[.allow]) }
            #expect(notAllowed == .methodNotAllowed && allow == "GET, HEAD")
        }
    }

    @Test func theDashboardSendsAContentSecurityPolicy() async throws {
        try await withTestApplication { client in
            let policy = try await client.get("/") { $0.headers[.contentSecurityPolicy] }
            #expect(policy?.contains("script-src 'self'") == true && policy?.contains("frame-ancestors 'none'") == true)
        }
    }
}
