import Synchronization

/// One token bucket per project, shared by all its keys and ingest routes (API.md §7).
public final class RateLimiter: Sendable {
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        /// The bucket's capacity (its burst).
        public var limit: Int
        public var remaining: Int
        /// Unix seconds at which the bucket is full again.
        public var resetAt: Int64
        /// Whole seconds, at least 1, before a refused request would be admitted.
        public var retryAfter: Int
    }

    private struct Bucket {
        var tokens: Double
        var updatedMs: Int64
        var settings: RateLimit
    }

    private let clock: WallClock
    private let buckets = Mutex<[Int64: Bucket]>([:])

    public init(clock: WallClock) {
        self.clock = clock
    }

    /// Takes one token from the project's bucket if it has one.
    public func admit(projectID: Int64, settings: RateLimit) -> Decision {
        let now = clock.nowMilliseconds()
        return buckets.withLock { buckets in
            var bucket = buckets[projectID] ?? Bucket(tokens: Double(settings.burst), updatedMs: now, settings: settings)
            if bucket.settings != settings {
                // Settings changed (configuration reloaded): keep the level, clamp it to the new burst.
                bucket.settings = settings
                bucket.tokens = min(bucket.tokens, Double(settings.burst))
            }
            let elapsed = Double(max(0, now - bucket.updatedMs)) / 1000
            bucket.tokens = min(Double(settings.burst), bucket.tokens + elapsed * settings.requestsPerSecond)
            bucket.updatedMs = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[projectID] = bucket
            let secondsToFull = (Double(settings.burst) - bucket.tokens) / settings.requestsPerSecond
            let secondsToNext = max(0, 1 - bucket.tokens) / settings.requestsPerSecond
            return Decision(
                allowed: allowed, limit: settings.burst, remaining: Int(bucket.tokens.rounded(.down)),
                resetAt: (now + Int64((secondsToFull * 1000).rounded(.up)) + 999) / 1000,
                retryAfter: max(1, Int(secondsToNext.rounded(.up))))
        }
    }
}
