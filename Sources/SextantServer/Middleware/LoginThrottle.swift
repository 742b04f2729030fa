import Foundation
import Synchronization

/// Failed dashboard-password attempts per client address: after `maxFailures` within `window`
/// the address is refused (429 + Retry-After) without its guess being checked, until the window
/// that began with its first failure has passed. Bounded in entries, so many addresses cannot
/// exhaust memory either.
final class LoginThrottle: Sendable {
    private struct Record {
        var failures: Int
        var windowStart: ContinuousClock.Instant
    }

    private let maxFailures: Int
    private let window: Duration
    private let maxAddresses: Int
    private let records = Mutex<[String: Record]>([:])

    init(maxFailures: Int = 10, window: Duration = .seconds(60), maxAddresses: Int = 10_000) {
        self.maxFailures = maxFailures
        self.window = window
        self.maxAddresses = maxAddresses
    }

    /// Seconds until `address` may try again, or nil when it may try now.
    func retryAfter(_ address: String) -> Int? {
        let now = ContinuousClock.now
        return records.withLock { records in
            guard let record = records[address] else { return nil }
            let elapsed = now - record.windowStart
            if elapsed >= window {
                records[address] = nil
                return nil
            }
            guard record.failures >= maxFailures else { return nil }
            return max(1, Int(((window - elapsed) / .seconds(1)).rounded(.up)))
        }
    }

    func recordFailure(_ address: String) {
        let now = ContinuousClock.now
        records.withLock { records in
            if records.count >= maxAddresses, records[address] == nil {
                records = records.filter { now - $0.value.windowStart < window }
                if records.count >= maxAddresses { records.removeAll(keepingCapacity: true) }
            }
            if var record = records[address], now - record.windowStart < window {
                record.failures += 1
                records[address] = record
            } else {
                records[address] = Record(failures: 1, windowStart: now)
            }
        }
    }

    func recordSuccess(_ address: String) {
        records.withLock { $0[address] = nil }
    }
}
