import Synchronization

/// Per-token request limits over a sliding window (API.md §10: the 301st read or 61st write within
/// any 60 s is refused). Each key keeps the times of its admitted requests inside the window.
public final class SlidingWindowLimiter: Sendable {
    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        public var limit: Int
        public var remaining: Int
        /// Unix seconds when the oldest counted request leaves the window.
        public var resetAt: Int64
        /// Whole seconds, at least 1, until a refused request would be admitted.
        public var retryAfter: Int
    }

    private let limit: Int
    private let windowMs: Int64
    private let clock: WallClock
    private let windows = Mutex<[String: [Int64]]>([:])

    public init(limit: Int, windowSeconds: Int64 = 60, clock: WallClock) {
        self.limit = limit
        windowMs = windowSeconds * 1000
        self.clock = clock
    }

    public func admit(_ key: String) -> Decision {
        let now = clock.nowMilliseconds()
        return windows.withLock { windows in
            var times = windows[key, default: []]
            let cutoff = now - windowMs
            if let firstInside = times.firstIndex(where: { $0 > cutoff }) {
                times.removeFirst(firstInside)
            } else {
                times.removeAll()
            }
            let allowed = times.count < limit
            if allowed { times.append(now) }
            windows[key] = times
            let oldest = times.first ?? now
            let freeAt = oldest + windowMs
            return Decision(
                allowed: allowed, limit: limit, remaining: max(limit - times.count, 0), resetAt: (freeAt + 999) / 1000,
                retryAfter: max(Int((freeAt - now + 999) / 1000), 1))
        }
    }
}
