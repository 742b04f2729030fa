import PostgresNIO
import SextantCore

public struct PostgresLeaseStore: LeaseStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    public func acquire(_ name: String, holder: String, expiresAt: Int64, now: Int64) async throws -> Bool {
        // The conflict update runs only for the holder itself or over an expired lease; else no
        // row comes back and the lease stays where it is.
        let rows = try await database.rows("""
            INSERT INTO leases (name, holder, expires_at) VALUES (\(name), \(holder), \(expiresAt))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= \(now)
            RETURNING holder
            """)
        return try rows.first?.decode(String.self) == holder
    }

    public func release(_ name: String, holder: String) async throws {
        try await database.execute("DELETE FROM leases WHERE name = \(name) AND holder = \(holder)")
    }
}
