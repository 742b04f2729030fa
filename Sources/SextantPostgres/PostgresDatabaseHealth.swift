import SextantCore

/// A query on a pooled connection: fails when the server cannot be reached or refuses it.
public struct PostgresDatabaseHealth: DatabaseHealth {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    public func checkReachable() async throws {
        try await database.execute("SELECT 1")
    }
}
