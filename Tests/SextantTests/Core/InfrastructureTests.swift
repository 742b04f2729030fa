import Foundation
import NIOCore
import Testing
@testable import SextantCore

@Suite struct GzipBodyTests {
    @Test func inflatesWithinTheLimit() throws {
        let compressed = try GzipBody.compress(Array("hello gzip".utf8))
        let inflated = try GzipBody.inflate(ByteBuffer(bytes: compressed), limit: 10)
        #expect(String(buffer: inflated) == "hello gzip")
    }

    @Test func stopsABombAtTheLimit() throws {
        let bomb = try GzipBody.compress(Array(repeating: UInt8(ascii: "0"), count: 16 * 1024 * 1024))
        #expect(bomb.count < 100_000)
        #expect(throws: GzipBodyError.tooLarge(limit: 1024 * 1024)) { try GzipBody.inflate(ByteBuffer(bytes: bomb), limit: 1024 * 1024) }
    }

    @Test func rejectsCorruptAndTruncatedStreams() throws {
        #expect(throws: GzipBodyError.corrupt) { try GzipBody.inflate(ByteBuffer(bytes: Array("\u{1f}\u{8b}not really gzip".utf8)), limit: 1000) }
        let valid = try GzipBody.compress(Array(repeating: UInt8(ascii: "a"), count: 5000) + Array("tail".utf8))
        #expect(throws: GzipBodyError.self) { try GzipBody.inflate(ByteBuffer(bytes: Array(valid.prefix(valid.count / 2))), limit: 100_000) }
    }
}

@Suite struct SecretsTests {
    @Test func hashesAndComparesInConstantTimeShape() {
        #expect(Secrets.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Secrets.constantTimeEquals("same", "same"))
        #expect(!Secrets.constantTimeEquals("same", "sane"))
        #expect(!Secrets.constantTimeEquals("same", "same-but-longer"))
    }

    @Test func generatesPrefixedBase62Keys() {
        let key = Secrets.newIngestKey()
        #expect(key.hasPrefix("sx_pk_") && key.count == 38)
        #expect(key.dropFirst(6).allSatisfy { $0.isLetter || $0.isNumber })
        #expect(Secrets.newIngestKey() != key)
        #expect(Secrets.newAPIToken().hasPrefix("sx_api_"))
    }
}

@Suite struct ReplayChunkInspectorTests {
    @Test func summarisesAChunk() throws {
        let json = #"[{"type":4,"timestamp":10,"data":{}},{"type":2,"timestamp":11,"data":{}},{"type":3,"timestamp":30,"data":{}}]"#
        let summary = try ReplayChunkInspector.inspect(Array(json.utf8))
        #expect(summary == ReplayChunkSummary(eventCount: 3, firstTimestamp: 10, lastTimestamp: 30, fullSnapshotOffsets: [1]))
    }

    @Test(arguments: [#"{"type":4}"#, "plain", #"[1, 2]"#, #"[{"timestamp": 1}]"#, #"[{"type": 2}]"#, #"[{"type": 2.5, "timestamp": 1}]"#])
    func refusesWhatIsNotAnEventArray(_ json: String) {
        #expect(throws: ReplayChunkError.self) { try ReplayChunkInspector.inspect(Array(json.utf8)) }
    }

    @Test func readsTheSharedRecordings() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../shared/fixtures/rrweb").standardized
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter({ $0.hasSuffix(".json") }), !names.isEmpty else {
            print("skipping: ../shared/fixtures/rrweb is absent (the shared recordings live beside the project)")
            return
        }
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent(name)))
            guard case .array(let events)? = try? JSONValue.parse(bytes) else { continue }  // some fixtures wrap their events
            let summary = try ReplayChunkInspector.inspect(bytes)
            #expect(summary.eventCount == events.count, "\(name)")
            #expect(!summary.fullSnapshotOffsets.isEmpty, "\(name) has a full snapshot")
        }
    }
}
