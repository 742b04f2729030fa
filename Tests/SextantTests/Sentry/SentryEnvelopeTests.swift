import Foundation
@testable import SextantCore
import Testing

/// The envelope parser and what each item type becomes (issue 12).
@Suite struct SentryEnvelopeTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func itemsWithAndWithoutLengthAndBinaryPayloads() throws {
        let binary: [UInt8] = [0x00, 0x0A, 0xFF, 0x0A]
        var envelope = bytes("{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\"}\n{\"type\":\"attachment\",\"length\":4}\n")
        envelope += binary
        envelope += bytes("\n\n{\"type\":\"event\"}\n{\"message\":\"hello\"}\n{\"type\":\"client_report\",\"length\":2}\n{}")
        let parsed = try SentryEnvelope.parse(envelope)
        #expect(parsed.header["event_id"]?.stringValue == "9ec79c33ec9942ab8353589fcb2e04dc")
        #expect(parsed.items.map(\.type) == ["attachment", "event", "client_report"])
        #expect(parsed.items[0].payload == binary)
        #expect(try parsed.items[1].json()["message"]?.stringValue == "hello")
        let contents = try SentryEnvelopeContents.decode(parsed, now: 1)
        #expect(contents.errors.count == 1 && contents.skipped == ["client_report": 1])
        #expect(contents.attachments.map(\.bytes) == [binary] && contents.attachments.first?.filename == "attachment")
        #expect(contents.eventID == "9ec79c33ec9942ab8353589fcb2e04dc")
    }

    @Test func malformedEnvelopesSayWhy() {
        let cases: [(String, String)] = [
            ("not json\n", "header"),
            ("{}\n{\"length\":2}\n{}", "no type"),
            ("{}\n{\"type\":\"event\",\"length\":50}\n{}", "shorter"),
            ("{}\n{\"type\":\"event\",\"length\":1.5}\n{}", "byte count"),
            ("{}\n{\"type\":\"event\",\"length\":1}\n{}", "longer"),
            ("{}\n[1]\n", "header"),
        ]
        for (text, reason) in cases {
            #expect(throws: SentryEnvelopeError.self, "\(text)") { try SentryEnvelope.parse(bytes(text)) }
            do { _ = try SentryEnvelope.parse(bytes(text)) } catch { #expect("\(error)".contains(reason), "\(text): \(error)") }
        }
        #expect(throws: SentryEnvelopeError.self) {
            try SentryEnvelopeContents.decode(try SentryEnvelope.parse(bytes("{}\n{\"type\":\"event\"}\nnot json\n")), now: 1)
        }
        let huge = "{\"message\":\"" + String(repeating: "x", count: SentryEnvelopeContents.maximumJSONItemBytes) + "\"}"
        #expect(throws: SentryEnvelopeError.self) {
            try SentryEnvelopeContents.decode(try SentryEnvelope.parse(bytes("{}\n{\"type\":\"event\"}\n\(huge)\n")), now: 1)
        }
    }

    @Test func pythonFramesReadAsATracebackAndOthersInnermostFirst() throws {
        let python = try JSONValue.parse(#"""
            {"platform":"python","level":"warning","timestamp":1718200000.5,"fingerprint":["{{ default }}"],
             "exception":{"values":[{"type":"KeyError","value":"'sku'"},{"type":"ValueError","value":"card declined","stacktrace":{"frames":[
               {"filename":"app.py","abs_path":"/srv/app.py","function":"checkout","lineno":20},
               {"filename":"app.py","abs_path":"/srv/app.py","function":"charge","lineno":12}]}}]},
             "contexts":{"trace":{"trace_id":"abc"}},"user":{"email":"ada@example.com"}}
            """#)
        let event = SentryEvent.errorEvent(python, now: 1)
        let props = try JSONValue.parse(event.propsJSON!)
        #expect(event.name == "ValueError" && event.ts == 1_718_200_000_500 && event.userID == "ada@example.com")
        #expect(props["stack"]?.arrayValue?.compactMap(\.stringValue) == [
            #"File "/srv/app.py", line 20, in checkout"#, #"File "/srv/app.py", line 12, in charge"#,
        ])
        #expect(props["level"]?.stringValue == "warn" && props["traceId"]?.stringValue == "abc" && props["fingerprint"] == nil)
        let occurrence = try #require(ErrorOccurrences.from(event: event, projectID: 1))
        #expect(occurrence.culprit == #"File "/srv/app.py" in charge"#)

        let javascript = try JSONValue.parse(#"""
            {"platform":"javascript","fingerprint":["checkout-{{ default }}", "pay"],"exception":{"values":[{"type":"TypeError","value":"x is undefined",
             "stacktrace":{"frames":[{"filename":"https://shop.example.com/app.js","function":"outer","lineno":1,"colno":2},
               {"filename":"https://shop.example.com/app.js","function":"pay","lineno":10,"colno":5}]}}]}}
            """#)
        let props2 = try JSONValue.parse(SentryEvent.errorEvent(javascript, now: 1).propsJSON!)
        #expect(props2["stack"]?.arrayValue?.first?.stringValue == "at pay (https://shop.example.com/app.js:10:5)")
        #expect(props2["fingerprint"]?.stringValue == "checkout-{{ default }}\u{1F}pay")
    }

    @Test func checkInsMapTheirScheduleAndMargin() throws {
        let crontab = try SentryCheckIn.parse(try JSONValue.parse(#"""
            {"monitor_slug":"nightly","status":"ok","duration":1.5,"monitor_config":{"schedule":{"type":"crontab","value":"0 2 * * *"},"checkin_margin":10}}
            """#))
        #expect(crontab.config == .init(schedule: "0 2 * * *", graceSeconds: 600) && crontab.durationMs == 1500)
        let weekly = try SentryCheckIn.parse(try JSONValue.parse(#"""
            {"monitor_slug":"w","status":"in_progress","monitor_config":{"schedule":{"type":"interval","value":2,"unit":"week"}}}
            """#))
        #expect(weekly.config == .init(schedule: "14d", graceSeconds: 300) && weekly.status == .inProgress)
        for bad in [#"{"status":"ok"}"#, #"{"monitor_slug":"m","status":"done"}"#, #"{"monitor_slug":"m","status":"ok","duration":1e300}"#,
                    #"{"monitor_slug":"m","status":"ok","monitor_config":{"schedule":{"type":"interval","value":1,"unit":"year"}}}"#] {
            #expect(throws: SentryEnvelopeError.self, "\(bad)") { try SentryCheckIn.parse(try JSONValue.parse(bad)) }
        }
    }

    @Test func sessionsAndAggregatesBecomeReleaseHealth() throws {
        let single = try SentrySessions.session(try JSONValue.parse(#"""
            {"sid":"s1","did":"u1","started":"2026-06-01T00:00:00Z","status":"crashed","duration":12,"attrs":{"release":"r@1","environment":"prod"}}
            """#), now: 1)
        #expect(single.count == 2 && single[1].phase == .ended(status: .crashed, durationMs: 12_000))
        #expect(try SentrySessions.session(try JSONValue.parse(#"{"sid":"s2","status":"ok","attrs":{}}"#), now: 1).isEmpty)
        let aggregate = try SentrySessions.aggregates(try JSONValue.parse(#"""
            {"attrs":{"release":"r@1"},"aggregates":[{"started":"2026-06-01T00:00:00Z","exited":2,"crashed":1}]}
            """#), now: 1)
        #expect(aggregate.count == 6)
        #expect(Set(aggregate.map(\.sessionID)).count == 3)
    }

    @Test func transactionsBecomeARootSpanAndItsChildren() throws {
        let spans = try SentryTransaction.spans(try JSONValue.parse(#"""
            {"type":"transaction","transaction":"POST /checkout","start_timestamp":1718200000.0,"timestamp":1718200000.25,
             "contexts":{"trace":{"trace_id":"t1","span_id":"root","op":"http.server","status":"ok"}},
             "spans":[{"span_id":"c1","parent_span_id":"root","op":"db","description":"SELECT 1","start_timestamp":1718200000.1,
                       "timestamp":1718200000.2,"status":"deadline_exceeded"}]}
            """#))
        #expect(spans.map(\.spanID) == ["root", "c1"] && spans[0].durationMs == 250 && spans[1].status == "timeout")
        #expect(TraceTree.depths(spans) == ["root": 0, "c1": 1])
        #expect(throws: SentryEnvelopeError.self) { try SentryTransaction.spans(try JSONValue.parse(#"{"contexts":{}}"#)) }
    }
}
