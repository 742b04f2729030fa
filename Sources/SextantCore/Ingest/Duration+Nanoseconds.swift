extension Duration {
    /// Whole nanoseconds, as swift-metrics timers take them.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension Duration {
    /// Whole milliseconds, for comparing with stored Unix-ms times.
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }
}
