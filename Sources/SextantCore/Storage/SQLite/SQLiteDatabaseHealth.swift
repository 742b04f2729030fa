import GRDB

/// A read on a pooled connection: fails when the file cannot be read (an I/O error, a lost volume).
public struct SQLiteDatabaseHealth: DatabaseHealth {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func checkReachable() async throws {
        _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
    }
}
