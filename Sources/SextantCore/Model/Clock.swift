import Foundation

/// Wall-clock time in Unix milliseconds, injectable so tests can pin "now".
public struct WallClock: Sendable {
    public var nowMilliseconds: @Sendable () -> Int64

    public init(nowMilliseconds: @escaping @Sendable () -> Int64) {
        self.nowMilliseconds = nowMilliseconds
    }

    public static let system = WallClock { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
