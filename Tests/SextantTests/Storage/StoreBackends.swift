import Foundation
import Testing
@testable import SextantCore

/// Every storage backend the contract suite runs against. A new backend joins by adding a case.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite

    var testDescription: String { rawValue }

    /// An empty store keeping its files under `directory`.
    func makeStore(directory: String) throws -> SextantStore {
        switch self {
        case .sqlite: try SQLiteDatabase.makeStore(directory: directory)
        }
    }

    /// A fresh store with organizations `acme` (project `inventory`, key `k-inv`) and
    /// `globex` (project `billing`, key `k-bill`); `body` gets the store and project ids.
    func withStore(_ body: (SextantStore, _ inventory: Int64, _ billing: Int64) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let store = try makeStore(directory: directory.path)
        try await store.tenancy.applyConfiguration([
            OrganizationConfig(id: "acme", projects: [ProjectConfig(slug: "inventory", keys: ["k-inv"])]),
            OrganizationConfig(id: "globex", projects: [ProjectConfig(slug: "billing", keys: ["k-bill"])]),
        ], now: 1)
        let inventory = try await store.tenancy.project(slug: "inventory")!.id
        let billing = try await store.tenancy.project(slug: "billing")!.id
        try await body(store, inventory, billing)
    }
}
