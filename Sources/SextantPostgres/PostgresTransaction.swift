import Logging
import PostgresNIO

/// One connection inside an open transaction, with the logger its statements report to.
struct PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger

    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    func execute(_ query: PostgresQuery) async throws {
        try await connection.query(query, logger: logger)
    }

    /// How many rows the statement returned (`… RETURNING 1` counts what it wrote).
    func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }
}
