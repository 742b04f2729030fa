import Synchronization
import Testing
@testable import SextantCore

/// A wall clock tests move by hand.
final class ManualClock: Sendable {
    let now: Mutex<Int64>

    init(_ start: Int64) { now = Mutex(start) }

    func advance(ms: Int64) { now.withLock { $0 += ms } }

    var wallClock: WallClock { WallClock { [self] in now.withLock { $0 } } }
}

@Suite struct RateLimiterTests {
    @Test func allowsTheBurstThenRefillsAtTheRate() {
        let clock = ManualClock(1_000_000)
        let limiter = RateLimiter(clock: clock.wallClock)
        let settings = RateLimit(requestsPerSecond: 2, burst: 3)
        let burst = (0..<3).map { _ in limiter.admit(projectID: 1, settings: settings) }
        #expect(burst.allSatisfy(\.allowed) && burst.map(\.remaining) == [2, 1, 0] && burst[0].limit == 3)
        let refused = limiter.admit(projectID: 1, settings: settings)
        #expect(!refused.allowed && refused.remaining == 0 && refused.retryAfter == 1)
        #expect(refused.resetAt == 1_000 + 2)  // 3 tokens at 2/s: full again in 1.5 s, rounded up
        clock.advance(ms: 500)
        #expect(limiter.admit(projectID: 1, settings: settings).allowed)
        #expect(!limiter.admit(projectID: 1, settings: settings).allowed)
        // Another project has its own bucket.
        #expect(limiter.admit(projectID: 2, settings: settings).allowed)
    }

    @Test func retryAfterIsWholeSecondsAndAtLeastOne() {
        let clock = ManualClock(0)
        let limiter = RateLimiter(clock: clock.wallClock)
        let slow = RateLimit(requestsPerSecond: 0.25, burst: 1)
        #expect(limiter.admit(projectID: 1, settings: slow).allowed)
        #expect(limiter.admit(projectID: 1, settings: slow).retryAfter == 4)
        clock.advance(ms: 3_900)
        #expect(limiter.admit(projectID: 1, settings: slow).retryAfter == 1)
    }
}
