/// Read side of logs: filtered, full-text searched, newest first.
public protocol LogStore: Sendable {
    func logs(_ filter: LogFilter) async throws -> [StoredLog]
}
