import Testing
@testable import SextantCore

@Suite struct JSONScannerTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#"{"a": [1, -2.5, 3e2, true, false, null], "b": {"c": "d"}, "e": ""}"#)
        #expect(value["a"] == .array([.number(1), .number(-2.5), .number(300), .bool(true), .bool(false), .null]))
        #expect(value["b"]?["c"] == .string("d"))
        #expect(value["e"] == .string(""))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue.parse(#"["a\"b\\c\/d\n\t", "\u00e9\u4e2d", "\ud83d\ude00", "plain é"]"#)
        #expect(value == .array([.string("a\"b\\c/d\n\t"), .string("é中"), .string("😀"), .string("plain é")]))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "tru", "\"unterminated", "\"bad \\x escape\"",
        "[1] trailing", "\"ctrl \u{01}\"", "{'a': 1}", "NaN",
    ])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test func refusesDeepNestingInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(deep) }
    }

    @Test func skipValueReturnsTheRawTextOfTheValue() throws {
        let text = Array(#"{"props": {"x": [1, {"y": "}"}]}, "n": 1}"#.utf8)
        let raw = try JSONScanner.withScanner(over: text) { scanner -> String in
            var raw = ""
            try scanner.readObject { scanner, key in
                if key == "props" { raw = scanner.text(of: try scanner.skipValue()) } else { try scanner.skipValue() }
            }
            return raw
        }
        #expect(raw == #"{"x": [1, {"y": "}"}]}"#)
    }

    @Test func readIntegerKeepsMillisecondTimestampsExact() throws {
        let ts = try JSONScanner.withScanner(over: Array("1781395200123".utf8)) { try $0.readInteger() }
        #expect(ts == 1_781_395_200_123)
    }

    @Test func writerEscapesAndRoundTrips() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("s"); writer.string("quote\" backslash\\ newline\n ctrl\u{02}")
        writer.key("n"); writer.integer(nil)
        writer.key("raw"); writer.raw(#"{"k":[1,2]}"#)
        writer.key("list"); writer.beginArray(); writer.number(1.5); writer.number(2); writer.endArray()
        writer.endObject()
        let parsed = try JSONValue.parse(writer.bytes)
        #expect(parsed["s"] == .string("quote\" backslash\\ newline\n ctrl\u{02}"))
        #expect(parsed["n"] == .null)
        #expect(parsed["raw"]?["k"] == .array([.number(1), .number(2)]))
        #expect(writer.text.contains(#""list":[1.5,2]"#))
    }
}
