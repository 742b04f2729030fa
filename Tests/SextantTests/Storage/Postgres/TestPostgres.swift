import Foundation
import PostgresNIO
import SextantCore
import Testing
@testable import SextantPostgres

/// The throwaway cluster `scripts/postgres-test-server` starts; each test gets a database of its own.
enum TestPostgres {
    static var adminURL: String? {
        ProcessInfo.processInfo.environment["SEXTANT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A new, migrated database for `body`, reached through `nodes` pools of their own (as many
    /// servers would), and dropped when `body` returns or throws.
    static func withScratchDatabase(nodes: Int = 1, _ body: ([PostgresBackend]) async throws -> Void) async throws {
        let adminURL = try #require(adminURL, "SEXTANT_TEST_POSTGRES_URL names no server: run scripts/postgres-test-server")
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await administer(adminURL, "CREATE DATABASE \(unescaped: name)")
        let url = scratchURL(adminURL, database: name)
        do {
            let pools = try (0..<nodes).map { _ in try PostgresBackend(url: url, maximumConnections: 8) }
            try await running(pools[...]) {
                try await pools[0].migrate()
                try await body(pools)
            }
        } catch {
            try? await administer(adminURL, "DROP DATABASE \(unescaped: name) WITH (FORCE)")
            throw error
        }
        try await administer(adminURL, "DROP DATABASE \(unescaped: name) WITH (FORCE)")
    }

    /// The server's URL naming another database.
    static func scratchURL(_ adminURL: String, database: String) -> String {
        var components = URLComponents(string: adminURL)!
        components.path = "/" + database
        return components.string!
    }

    /// Runs every pool while `body` runs.
    private static func running(_ pools: ArraySlice<PostgresBackend>, _ body: () async throws -> Void) async throws {
        guard let first = pools.first else { return try await body() }
        try await first.withRunning { try await running(pools.dropFirst(), body) }
    }

    /// One statement on the server's own database (a pool runs once, so each gets its own).
    static func administer(_ url: String, _ statement: PostgresQuery) async throws {
        let admin = try PostgresBackend(url: url, maximumConnections: 1)
        try await admin.withRunning { try await admin.execute(statement) }
    }
}
