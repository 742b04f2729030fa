import PostgresNIO
import SextantCore

/// The Data API's request windows in the shared database: a token's 300 reads per minute are 300
/// across every node. Each admission holds a lock on its key for its transaction, so two nodes
/// counting the same token take turns.
public struct PostgresRequestWindows: RequestWindows {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    public func admit(_ key: String, limit: Int, windowMs: Int64, now: Int64) async throws -> WindowDecision {
        try await database.transaction { tx in
            try await tx.execute("SELECT pg_advisory_xact_lock(\(PostgresAdvisoryLock.requestWindows), hashtext(\(key)))")
            // Hits that left the window go as the key is next counted: the table holds at most a window of each key.
            try await tx.execute("DELETE FROM request_window_hits WHERE key = \(key) AND ts <= \(now - windowMs)")
            let (count, oldest) = try await tx.rows("SELECT count(*), min(ts) FROM request_window_hits WHERE key = \(key)")[0]
                .decode((Int64, Int64?).self)
            let allowed = count < limit
            if allowed { try await tx.execute("INSERT INTO request_window_hits (key, ts) VALUES (\(key), \(now))") }
            return WindowDecision(
                allowed: allowed, limit: limit, counted: Int(count) + (allowed ? 1 : 0), oldest: oldest ?? (allowed ? now : nil), windowMs: windowMs,
                now: now)
        }
    }
}
