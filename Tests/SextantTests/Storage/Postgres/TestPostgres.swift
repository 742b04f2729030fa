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

    /// A new, migrated database for `body`, dropped when `body` returns or throws.
    static func withScratchDatabase<Result: Sendable>(_ body: (PostgresBackend) async throws -> Result) async throws -> Result {
        let adminURL = try #require(adminURL, "SEXTANT_TEST_POSTGRES_URL names no server: run scripts/postgres-test-server")
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await administer(adminURL, "CREATE DATABASE \(unescaped: name)")
        let url = adminURL.replacingOccurrences(of: #"/[^/?]*(\?|$)"#, with: "/\(name)$1", options: .regularExpression)
        let database = try PostgresBackend(url: url, maximumConnections: 8)
        let result: Result
        do {
            result = try await database.withRunning {
                try await database.migrate()
                return try await body(database)
            }
        } catch {
            try? await administer(adminURL, "DROP DATABASE \(unescaped: name) WITH (FORCE)")
            throw error
        }
        try await administer(adminURL, "DROP DATABASE \(unescaped: name) WITH (FORCE)")
        return result
    }

    /// One statement on the server's own database (a pool runs once, so each gets its own).
    private static func administer(_ url: String, _ statement: PostgresQuery) async throws {
        let admin = try PostgresBackend(url: url, maximumConnections: 1)
        try await admin.withRunning { try await admin.execute(statement) }
    }

    /// `store` with every store PostgreSQL has so far taken from `database`. The contract suites
    /// that run on PostgreSQL use only those (`StoreBackend.complete` lists the backends for the rest).
    static func storeWithPortedStores(of database: PostgresBackend, besides store: SextantStore) -> SextantStore {
        var store = store
        store.tenancy = PostgresTenancyStore(database: database)
        store.ingest = PostgresIngestStore(database: database)
        store.issues = PostgresIssueStore(database: database)
        store.alerts = PostgresAlertOutbox(database: database)
        store.insights = PostgresInsightStore(database: database)
        store.monitors = PostgresMonitorStore(database: database)
        store.oauth = PostgresOAuthStore(database: database)
        store.signals = PostgresSignalStore(database: database)
        store.webhooks = PostgresWebhookStore(database: database)
        store.leases = PostgresLeaseStore(database: database)
        store.database = PostgresDatabaseHealth(database: database)
        return store
    }
}
