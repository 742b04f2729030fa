@testable import SextantCore
import Testing

/// lz-string's base64 form, against output of the reference implementation (pieroxy/lz-string,
/// through its Python port `lzstring` 1.0.4).
@Suite struct LZStringTests {
    @Test func decompressesReferenceOutput() throws {
        let compressed = "NobwRApgbhB2AuYBcACMASADgQwObQEsIB3MAGjUwCcB7TCK+IgZ2RXHhoGs42wvyaACYFmTWAGN4AfQJC+AVwCMgjBIVUqcGRoA2fABbx4mZkgD055gboA6CAA9sAW0y6ItiTWfmAOgoAGAIgATj9AgIAzCVVYNmAlCgAmCgBmCkSUFJR0lEzs1IBdAF9iwqA=="
        let text = try LZString.decompressFromBase64(Array(compressed.utf8), limit: 1 << 20)
        #expect(String(decoding: text, as: UTF8.self) == #"[{"event": "$pageview", "properties": {"token": "k", "distinct_id": "u1", "$current_url": "https://shop.example.com/\u00e9/\u00fc", "n": [1, 2, 3, 1, 2, 3, 1, 2, 3]}}]"#)
    }

    @Test func keepsCharactersBeyondASCII() throws {
        // compressToBase64("héllo wörld ✓") in the reference implementation.
        let text = try LZString.decompressFromBase64(Array("BYS4NmD2AEDuBvAnMATahkciA===".utf8), limit: 1 << 20)
        #expect(String(decoding: text, as: UTF8.self) == "héllo wörld ✓")
    }

    @Test func refusesWhatIsNotLZStringAndBoundsTheOutput() throws {
        #expect(throws: LZString.DecompressionError.invalid) { try LZString.decompressFromBase64(Array("!!!".utf8), limit: 100) }
        #expect(throws: LZString.DecompressionError.invalid) { try LZString.decompressFromBase64([], limit: 100) }
        let compressed = "NobwRApgbhB2AuYBcACMASADgQwObQEsIB3MAGjUwCcB7TCK+IgZ2RXHhoGs42wvyaACYFmTWAGN4AfQJC+AVwCMgjBIVUqcGRoA2fABbx4mZkgD055gboA6CAA9sAW0y6ItiTWfmAOgoAGAIgATj9AgIAzCVVYNmAlCgAmCgBmCkSUFJR0lEzs1IBdAF9iwqA=="
        #expect(throws: LZString.DecompressionError.tooLarge) { try LZString.decompressFromBase64(Array(compressed.utf8), limit: 20) }
    }
}
