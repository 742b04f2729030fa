import Synchronization

/// Per-key request limits over a sliding window (API.md §10: the 301st read or 61st write of a
/// token within any 60 s is refused). Each key keeps the times of its admitted requests inside the
/// window. On several nodes the windows live in the shared database, so a token's limit holds
/// across the cluster; the embedded store keeps them in the process (`InMemoryRequestWindows`).
public protocol RequestWindows: Sendable {
    /// Counts a request of `key` at `now` if fewer than `limit` were admitted in the `windowMs`
    /// before it, atomically among every caller of the same windows.
    func admit(_ key: String, limit: Int, windowMs: Int64, now: Int64) async throws -> WindowDecision
}

public struct WindowDecision: Sendable, Equatable {
    public var allowed: Bool
    public var limit: Int
    public var remaining: Int
    /// Unix seconds when the oldest counted request leaves the window.
    public var resetAt: Int64
    /// Whole seconds, at least 1, until a refused request would be admitted.
    public var retryAfter: Int

    /// The decision once `counted` requests are in the window (this one included when allowed),
    /// the oldest of them at `oldest`.
    public init(allowed: Bool, limit: Int, counted: Int, oldest: Int64?, windowMs: Int64, now: Int64) {
        let freeAt = (oldest ?? now) + windowMs
        self.allowed = allowed
        self.limit = limit
        remaining = max(limit - counted, 0)
        resetAt = (freeAt + 999) / 1000
        retryAfter = max(Int((freeAt - now + 999) / 1000), 1)
    }
}

/// The windows of one process: enough when one process serves the store (SQLite).
public final class InMemoryRequestWindows: RequestWindows {
    private let windows = Mutex<[String: [Int64]]>([:])

    public init() {}

    public func admit(_ key: String, limit: Int, windowMs: Int64, now: Int64) -> WindowDecision {
        windows.withLock { windows in
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
            return WindowDecision(allowed: allowed, limit: limit, counted: times.count, oldest: times.first, windowMs: windowMs, now: now)
        }
    }
}
