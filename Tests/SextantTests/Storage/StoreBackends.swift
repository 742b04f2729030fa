import Foundation
import Testing
@testable import SextantCore

/// Every storage backend the contract suite runs against. A new backend joins by adding a case.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite

    var testDescription: String { rawValue }

    /// An empty store keeping its files under `directory`, opened by the factory the server uses.
    func makeStore(directory: String, storage: StorageSettings = .init()) async throws -> SextantStore {
        var configuration = SextantConfiguration()
        configuration.dataDirectory = directory
        configuration.storage = storage
        switch self {
        case .sqlite: configuration.storage.backend = .sqlite
        }
        return try await StoreFactory.open(configuration)
    }

    /// A fresh store with organizations `acme` (project `inventory`, key `k-inv`) and
    /// `globex` (project `billing`, key `k-bill`); `body` gets the store and project ids.
    func withStore(_ body: (SextantStore, _ inventory: Int64, _ billing: Int64) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let store = try await makeStore(directory: directory.path)
        try await store.tenancy.applyConfiguration([
            OrganizationConfig(id: "acme", projects: [ProjectConfig(slug: "inventory", keys: ["k-inv"])]),
            OrganizationConfig(id: "globex", projects: [ProjectConfig(slug: "billing", keys: ["k-bill"])]),
        ], now: 1)
        let inventory = try await store.tenancy.project(slug: "inventory")!.id
        let billing = try await store.tenancy.project(slug: "billing")!.id
        try await body(store, inventory, billing)
    }
}
