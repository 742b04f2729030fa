import Testing
@testable import SextantCore

@Suite struct LuminaLogBatchTests {
    func decode(_ logs: String, extra: String = "") throws(LuminaLogBatch.DecodingError) -> LuminaLogBatch {
        try LuminaLogBatch.decode(Array(#"{\#(extra)"logs":[\#(logs)]}"#.utf8))
    }

    @Test func keepsTheFieldsSDKsSend() throws {
        let batch = try decode(#"""
            {"timestamp":"2026-01-26T14:30:05.000Z","level":"panic","message":"boom","environment":"prod","trace_id":"t1",
             "span_id":"s1","parent_span_id":"p1","project_id":"x","metadata":{"order":"ORD-1"},
             "error":{"type":"PaymentError","message":"Insufficient funds","stack_trace":["at pay (p.ts:45)"],"fingerprint":"fp-1"}}
            """#, extra: #""api_key":"ll_legacy","#)
        #expect(batch.apiKey == "ll_legacy")
        let record = try #require(batch.records.first)
        #expect(record.level == .fatal && record.ts == 1_769_437_805_000 && record.traceID == "t1" && record.parentSpanID == "p1")
        #expect(record.fingerprint == "fp-1" && record.errorText == "PaymentError\nInsufficient funds\nat pay (p.ts:45)")
        #expect(try JSONValue.parse(record.metadataJSON!)["order"] == .string("ORD-1"))
    }

    @Test func privacyModeDropsMetadataValuesAndScrubsTheMessage() throws {
        let record = try decode(#"{"timestamp":"2026-01-26T14:30:05Z","level":"info","message":"card 4111111111111111","privacy_mode":true,"metadata":{"email":"a@b.c"}}"#).records[0]
        #expect(record.message == "card ***REDACTED***1111")
        #expect(try JSONValue.parse(record.metadataJSON!) == .object(["email": .null]))
    }

    @Test(arguments: [
        #"{"timestamp":"2026-01-26T14:30:00Z","level":"verbose","message":"m"}"#,
        #"{"timestamp":"2026-01-26T14:30:00Z","level":"warning","message":"m"}"#,
        #"{"timestamp":"2026-01-26T14:30:00Z","message":"m"}"#,
        #"{"level":"info","message":"m"}"#,
        #"{"timestamp":"soon","level":"info","message":"m"}"#,
        #"{"timestamp":"2026-01-26T14:30:00Z","level":"info"}"#,
        #"{"timestamp":"2026-01-26T14:30:00Z","level":"info","message":7}"#,
        #"{"timestamp":"2026-01-26T14:30:00Z","level":"info","message":"m","metadata":[1]}"#,
        #"{"timestamp":"2026-01-26T14:30:00Z","level":"info","message":"m","error":"e"}"#,
    ])
    func refusesInvalidLogs(_ log: String) {
        #expect(throws: LuminaLogBatch.DecodingError.self) { try decode(log) }
    }

    @Test func enforcesSizeLimits() {
        let long = String(repeating: "x", count: 10 * 1024 + 1)
        #expect(throws: LuminaLogBatch.DecodingError.self) { try decode(#"{"timestamp":"2026-01-26T14:30:00Z","level":"info","message":"\#(long)"}"#) }
        let many = Array(repeating: #"{"timestamp":"2026-01-26T14:30:00Z","level":"info","message":"m"}"#, count: 1001).joined(separator: ",")
        #expect(throws: LuminaLogBatch.DecodingError.tooManyLogs) { try decode(many) }
    }

    @Test func queryWordsSplitOnEveryNonAlphanumeric() {
        #expect(LogFilter.words(of: "seed-1763 \"payment\" OR (x)") == ["seed", "1763", "payment", "OR", "x"])
    }
}
