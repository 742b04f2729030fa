import GRDB

public struct SQLiteLeaseStore: LeaseStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func acquire(_ name: String, holder: String, expiresAt: Int64, now: Int64) async throws -> Bool {
        try await database.write { db in
            // The conflict update runs only for the holder itself or over an expired lease; else
            // no row comes back and the lease stays where it is.
            try String.fetchOne(db, sql: """
                INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
                RETURNING holder
                """, arguments: [name, holder, expiresAt, now]) == holder
        }
    }

    public func release(_ name: String, holder: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM leases WHERE name = ? AND holder = ?", arguments: [name, holder])
        }
    }
}
