import Testing
@testable import SextantCore

/// Log text any backend's search index must take: words longer than a PostgreSQL lexeme, and an
/// error text larger than a whole `tsvector`.
@Suite struct LogSearchContractTests {
    @Test(arguments: StoreBackend.available)
    func aLogWithAVeryLongWordIsStoredAndFoundByIt(backend: StoreBackend) async throws {
        try await backend.withStore { store, project, _ in
            let dump = String(repeating: "0123456789abcdef", count: 300)
            var record = LogRecord(ts: 1, level: .error, message: "payload \(dump) rejected", source: "luminalog")
            record.errorText = "ParseError\n" + (0..<120_000).map { "frame\($0)" }.joined(separator: " ")
            _ = try await store.ingest.commit([.logs(LogBatch(projectID: project, receivedAt: 1, records: [record]))])
            var search = LogFilter()
            search.words = [dump, "rejected"]
            let byTheDump = try await store.logs.logs(search).map(\.record.message)
            search.words = ["parseerror", "frame7"]
            let byTheError = try await store.logs.logs(search).map(\.record.message)
            #expect(byTheDump == [record.message] && byTheError == [record.message])
        }
    }

    @Test func aLongWordIsCutBetweenCharacters() {
        // One ASCII byte, then three-byte characters: the limit falls inside one of them.
        let word = "a" + String(repeating: "日", count: 1_000)
        let kept = LogSearchWords.of(word)
        let bytes = kept.first?.utf8.count ?? 0
        let whole = kept.first.map { !$0.contains("\u{FFFD}") && $0.hasPrefix("a日") } ?? false
        #expect(kept.count == 1 && bytes == LogSearchWords.maximumWordBytes - 2 && whole)
    }
}
