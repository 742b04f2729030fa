import Foundation
import Testing
@testable import SextantCore
import SextantPostgres

/// Every storage backend the contract suite runs against. A new backend joins by adding a case.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The backends of this run: PostgreSQL when `scripts/test` started its throwaway cluster and
    /// named it in `SEXTANT_TEST_POSTGRES_URL`.
    static var available: [StoreBackend] { TestPostgres.adminURL == nil ? [.sqlite] : allCases }

    /// The backends with every store built, for suites that use stores PostgreSQL does not have yet
    /// (so far it has tenancy, ingest, issues, alerts, insights, OAuth, signals, webhooks, leases and its health check).
    static let complete: [StoreBackend] = [.sqlite]

    /// An empty store keeping its files under `directory`, opened by the factory the server uses.
    func makeStore(directory: String, storage: StorageSettings = .init()) async throws -> SextantStore {
        var configuration = SextantConfiguration()
        configuration.dataDirectory = directory
        configuration.storage = storage
        configuration.storage.backend = .sqlite
        return try await StoreFactory.open(configuration)
    }

    /// A fresh store with organizations `acme` (project `inventory`, key `k-inv`) and
    /// `globex` (project `billing`, key `k-bill`); `body` gets the store and project ids.
    func withStore(_ body: (SextantStore, _ inventory: Int64, _ billing: Int64) async throws -> Void) async throws {
        try await withEmptyStore { store in
            try await store.tenancy.applyConfiguration([
                OrganizationConfig(id: "acme", projects: [ProjectConfig(slug: "inventory", keys: ["k-inv"])]),
                OrganizationConfig(id: "globex", projects: [ProjectConfig(slug: "billing", keys: ["k-bill"])]),
            ], now: 1)
            let inventory = try await store.tenancy.project(slug: "inventory")!.id
            let billing = try await store.tenancy.project(slug: "billing")!.id
            try await body(store, inventory, billing)
        }
    }

    /// A store with nothing in it: on PostgreSQL, in a database of its own that is dropped after.
    func withEmptyStore(_ body: (SextantStore) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let store = try await makeStore(directory: directory.path)
        switch self {
        case .sqlite:
            try await body(store)
        case .postgres:
            try await TestPostgres.withScratchDatabase { database in
                try await body(TestPostgres.storeWithPortedStores(of: database, besides: store))
            }
        }
    }
}
