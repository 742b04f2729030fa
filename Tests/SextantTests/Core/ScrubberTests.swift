import Testing
@testable import SextantCore

@Suite struct ScrubberTests {
    @Test func redactsLuhnValidCardNumbersKeepingTheLastFour() {
        #expect(Scrubber.scrubText("paid with 4111 1111 1111 1111 today") == "paid with ***REDACTED***1111 today")
        #expect(Scrubber.scrubText("card=5500-0000-0000-0004") == "card=***REDACTED***0004")
        // Not Luhn-valid, or too short: left alone (timestamps, order numbers).
        #expect(Scrubber.scrubText("ts 1781395200000 order 4111111111111112") == "ts 1781395200000 order 4111111111111112")
    }

    @Test func redactsSecretAssignmentsInText() {
        #expect(Scrubber.scrubText("login password=hunter2 ok") == "login password=***REDACTED*** ok")
        #expect(Scrubber.scrubText("api token: abc123") == "api token: ***REDACTED***")
    }

    @Test func scrubsRealLookingReplayPayloads() throws {
        let input = try JSONValue.parse(#"""
            {"type": 3, "data": {"source": 5, "text": "hunter2", "id": 12},
             "node": {"tagName": "input", "attributes": {"type": "password", "value": "s3cret!"}},
             "form": {"email": "a@b.c", "password": "p4ss", "cvv": 123, "card": "4111111111111111", "nested": {"apiToken": "t"}},
             "timestamp": 1718200000000}
            """#)
        let scrubbed = Scrubber.scrub(input)
        #expect(scrubbed["node"]?["attributes"]?["value"] == .string("***REDACTED***"))
        #expect(scrubbed["form"]?["password"] == .string("***REDACTED***") && scrubbed["form"]?["cvv"] == .string("***REDACTED***"))
        #expect(scrubbed["form"]?["card"] == .string("***REDACTED***1111"))
        #expect(scrubbed["form"]?["nested"]?["apiToken"] == .string("***REDACTED***"))
        #expect(scrubbed["form"]?["email"] == .string("a@b.c") && scrubbed["timestamp"] == .number(1_718_200_000_000))
    }

    @Test(arguments: [
        (#"[{"type":3,"timestamp":1,"data":{"source":1,"positions":[{"x":1,"y":2}]}}]"#, false),
        (#"[{"type":2,"data":{"node":{"attributes":{"value":"hunter2","type":"password"}}}}]"#, true),  // value before type
        (#"[{"type":2,"data":{"node":{"attributes":{"type":"password","value":""}}}}]"#, true),
        (#"[{"data":{"text":"4111 1111 1111 1111"}}]"#, true),
        (#"[{"data":{"form":{"apiToken":"t"}}}]"#, true),
        (#"[{"data":{"form":{"apiToken":null,"pinned":[1]}}}]"#, false),
        (#"[{"timestamp":1781395200000,"data":{"id":4111111111111111}}]"#, false),  // numbers are never cards
    ])
    func replayChunksAreRewrittenOnlyWhenSomethingIsRedacted(json: String, changes: Bool) throws {
        let result = try Scrubber.scrubReplayJSON(Array(json.utf8))
        #expect((result != nil) == changes)
        if let result { #expect(Scrubber.scrub(try JSONValue.parse(json)) == (try JSONValue.parse(result))) }
    }
}
