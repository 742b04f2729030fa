import Foundation
@testable import SextantCore
import Testing

/// Envelopes exactly as sentry-sdk 2.75 sent them (see Envelopes/README.md).
@Suite struct SentryCapturedEnvelopeTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Envelopes")

    func decode(_ name: String) throws -> SentryEnvelopeContents {
        let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent("\(name).envelope")))
        return try SentryEnvelopeContents.decode(try SentryEnvelope.parse(bytes), now: 1)
    }

    @Test func aChainedExceptionKeepsItsChainAndItsOwnFrames() throws {
        let contents = try decode("python-event")
        let event = try #require(contents.errors.first)
        let props = try JSONValue.parse(event.propsJSON!)
        #expect(event.name == "ValueError" && props["message"]?.stringValue == "card declined" && event.userID == "user-7")
        #expect(props["chain"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["KeyError", "ValueError"])
        let stack = props["stack"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(stack.last?.hasSuffix("in charge") == true, "\(stack)")
        #expect(props["release"]?.stringValue == "shop@2.0.0" && props["traceId"]?.stringValue?.count == 32)
        #expect(contents.eventID?.count == 32)
    }

    @Test func aTransactionIsItsRootSpanAndChildren() throws {
        let spans = try decode("python-transaction").spans
        #expect(spans.map(\.operation) == ["http.server", "db"] && spans[0].description == "POST /checkout")
        #expect(spans[1].parentSpanID == spans[0].spanID && spans.allSatisfy { $0.durationMs != nil })
    }

    @Test func aCheckInCarriesItsMonitorConfig() throws {
        let checkIn = try #require(try decode("python-check-in").checkIns.first)
        #expect(checkIn.monitorSlug == "nightly" && checkIn.status == .inProgress && checkIn.config?.schedule == "0 2 * * *")
    }

    @Test func aLogItemIsALogLine() throws {
        let logs = try decode("python-log").logs
        #expect(logs.map(\.message) == ["order placed"] && logs.first?.level == .info && logs.first?.environment == "staging")
    }
}
