import Foundation
import Testing
@testable import SextantCore
import SextantPostgres
import SextantStores

/// Every storage backend the contract suite runs against. A new backend joins by adding a case.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The backends of this run: PostgreSQL when `scripts/test` started its throwaway cluster and
    /// named it in `SEXTANT_TEST_POSTGRES_URL`.
    static var available: [StoreBackend] { TestPostgres.adminURL == nil ? [.sqlite] : allCases }

    /// An empty SQLite store keeping its files under `directory`, opened by the factory the server uses.
    static func makeSQLiteStore(directory: String, storage: StorageSettings = .init()) async throws -> SextantStore {
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
        try await withNodes(1) { try await body($0[0]) }
    }

    /// `count` nodes on one empty database, each with stores of its own (on PostgreSQL, its own
    /// connection pool), as several servers would be.
    func withNodes(_ count: Int, _ body: ([SextantStore]) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        switch self {
        case .sqlite:
            var nodes: [SextantStore] = []
            for _ in 0..<count { nodes.append(try await Self.makeSQLiteStore(directory: directory.path)) }
            try await body(nodes)
        case .postgres:
            try await TestPostgres.withScratchDatabase(nodes: count) { databases in
                let blobs = try FileBlobStore(root: directory.path + "/blobs")
                try await body(databases.enumerated().map { index, database in
                    database.makeStore(blobs: blobs, dataDirectory: directory.path + "/node\(index)")
                })
            }
        }
    }
}
