import Testing
@testable import SextantCore

/// The Data API's per-token windows hold across nodes: 300 reads a minute are 300 in the cluster.
@Suite struct RequestWindowTests {
    @Test(arguments: StoreBackend.available)
    func aTokensWindowIsSharedByEveryNode(_ backend: StoreBackend) async throws {
        try await backend.withNodes(2) { nodes in
            // On SQLite one process serves the store, so its nodes here share the windows as one server's requests do.
            let windows = backend == .sqlite ? [nodes[0].requestWindows, nodes[0].requestWindows] : nodes.map(\.requestWindows)
            let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<75 {
                    group.addTask { try await windows[index % 2].admit("read token:a", limit: 60, windowMs: 60_000, now: 1_000 + Int64(index)).allowed }
                }
                var admitted = 0
                for try await allowed in group where allowed { admitted += 1 }
                return admitted
            }
            #expect(admitted == 60)
            let refused = try await windows[1].admit("read token:a", limit: 60, windowMs: 60_000, now: 2_000)
            #expect(!refused.allowed && refused.remaining == 0 && refused.retryAfter == 59)
            // Another token has a window of its own; and the first one's oldest requests leave after a minute.
            #expect(try await windows[0].admit("read token:b", limit: 60, windowMs: 60_000, now: 2_000).remaining == 59)
            let later = try await windows[0].admit("read token:a", limit: 60, windowMs: 60_000, now: 61_001)
            #expect(later.allowed)
        }
    }
}
