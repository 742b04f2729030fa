import Foundation
import Logging
import PostgresNIO
import SextantCore

/// A pool of connections to Sextant's PostgreSQL database, shared by every store of one node.
///
/// The pool's connections exist only while `run()` runs (postgres-nio's client is a service);
/// `withRunning` runs it for the lifetime of a body, for commands and tests.
public struct PostgresBackend: Sendable {
    public let client: PostgresClient
    let logger: Logger

    let url: PostgresURL

    public init(url: String, maximumConnections: Int = 20, logger: Logger = Logger(label: "sextant.postgres")) throws {
        self.url = try PostgresURL(url)
        var configuration = self.url.clientConfiguration
        configuration.options.maximumConnections = maximumConnections
        // The pool reports each connection it opens and closes, and a query that waited for it to
        // start: noise beside a server's log. A connection that cannot be made fails the query.
        var backgroundLogger = logger
        backgroundLogger.logLevel = max(logger.logLevel, .error)
        client = PostgresClient(configuration: configuration, backgroundLogger: backgroundLogger)
        self.logger = logger
    }

    /// Runs the pool while `body` runs, then closes its connections.
    public func withRunning<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// One connection and one query, within `timeout`: whether the server answers, before the pool
    /// (which retries for as long as it runs) is trusted with it. Throws what PostgreSQL said.
    public func probe(timeout: Duration = .seconds(5)) async throws {
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let connection = try await PostgresConnection.connect(
            configuration: try url.connectionConfiguration(connectTimeout: .milliseconds(milliseconds)), id: 0, logger: logger)
        do {
            try await connection.query("SELECT 1", logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// Creates or updates the schema; safe when several nodes start at once.
    public func migrate() async throws {
        try await PostgresMigrator.migrate(self)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws, and
    /// the error `body` threw is the error the caller sees.
    func transaction<Result: Sendable>(_ body: (PostgresTransaction) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            let tx = PostgresTransaction(connection: connection, logger: logger)
            try await tx.execute("BEGIN")
            do {
                let result = try await body(tx)
                try await tx.execute("COMMIT")
                return result
            } catch {
                _ = try? await tx.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Every row `query` returns.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await client.query(query, logger: logger).collect()
    }

    func execute(_ query: PostgresQuery) async throws {
        try await client.query(query, logger: logger)
    }
}

extension PostgresConnection {
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}

extension PostgresBackend {
    /// The URL without its password, for messages.
    public static func describe(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(an unreadable URL)" }
        components.password = nil
        components.query = nil
        return components.string ?? "(an unreadable URL)"
    }

    /// What went wrong, in a line: PostgreSQL's own message, or why no connection was made.
    /// (postgres-nio's errors describe themselves generically, so nothing secret is printed.)
    public static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}
