import Testing
@testable import SextantCore

@Suite struct EventBatchDecoderTests {
    let now: Int64 = 1_781_395_200_000

    func decode(_ text: String) throws -> EventBatchRequest {
        try EventBatchDecoder.decode(Array(text.utf8), now: now)
    }

    @Test func decodesFieldsAndKeepsPropsAsRawText() throws {
        let batch = try decode(#"""
            {"app": "inventory", "key": "k", "meta": {"sdk": "x"}, "events": [
              {"ts": 1718200000000, "type": "event", "name": "invoice_created", "user_id": "alice", "session_id": "s1",
               "url": "/invoices/new", "props": {"amount": 1200, "nested": {"a": [1, "two"]}}, "unknown": [1, 2]}
            ]}
            """#)
        #expect(batch.app == "inventory" && batch.key == "k" && batch.invalidEvent == nil)
        #expect(batch.events == [IngestEvent(
            ts: 1_718_200_000_000, type: .event, name: "invoice_created", userID: "alice", sessionID: "s1", url: "/invoices/new",
            propsJSON: #"{"amount": 1200, "nested": {"a": [1, "two"]}}"#)])
    }

    @Test func zeroTimestampMeansNowAndPageviewNameDefaultsToThePath() throws {
        let batch = try decode(#"{"app":"a","key":"k","events":[{"ts":0,"type":"pageview","url":"https://x.example/cart?step=2"}]}"#)
        #expect(batch.events[0].ts == now)
        #expect(batch.events[0].name == "/cart")
    }

    @Test(arguments: [
        (#"{"type":"event","name":"x"}"#, "ts is required"),
        (#"{"ts":"soon","type":"event","name":"x"}"#, "ts must be a number (Unix ms)"),
        (#"{"ts":1,"type":"nope","name":"x"}"#, "type must be one of event, pageview, error, network, bug_report"),
        (#"{"ts":1,"name":"x"}"#, "type is required"),
        (#"{"ts":1,"type":"event"}"#, "name is required"),
        (#"{"ts":1,"type":"event","name":"x","props":[1]}"#, "props must be an object"),
        (#"{"ts":1,"type":"event","name":"x","user_id":42}"#, "user_id must be a string"),
        (#""not an object""#, "event must be an object"),
    ])
    func namesTheFirstBadEventAndItsField(event: String, message: String) throws {
        let batch = try decode(#"{"app":"a","key":"k","events":[{"ts":1,"type":"event","name":"ok"},\#(event),{"ts":2,"type":"event","name":"ok"}]}"#)
        #expect(batch.invalidEvent == .init(index: 1, message: message))
    }

    @Test func keyAfterABadEventIsStillRead() throws {
        let batch = try decode(#"{"events":[{"ts":1,"type":"bad","name":"x","props":{"a":1}}],"app":"a","key":"late"}"#)
        #expect(batch.key == "late" && batch.invalidEvent?.index == 0)
    }

    @Test func malformedBodiesAndMissingEventsAreErrors() {
        #expect(throws: EventBatchDecodingError.self) { try decode(#"{"app":"a","events":[{"ts":1,}]}"#) }
        #expect(throws: EventBatchDecodingError.badField("events is required")) { try decode(#"{"app":"a","key":"k"}"#) }
        #expect(throws: EventBatchDecodingError.badField("events must be an array")) { try decode(#"{"events":{}}"#) }
    }

    @Test func refusesMoreThanTenThousandEvents() {
        let events = Array(repeating: #"{"ts":1,"type":"event","name":"x"}"#, count: 10_001).joined(separator: ",")
        #expect(throws: EventBatchDecodingError.tooManyEvents(limit: 10_000)) { try decode(#"{"events":[\#(events)]}"#) }
    }
}
