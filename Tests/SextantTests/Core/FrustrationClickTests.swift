import Foundation
import Testing
@testable import SextantCore

/// The shared real recordings, read at test time from `../shared` beside the project.
enum SharedRecordings {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../../shared/fixtures/rrweb").standardized

    static var present: Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent("posthog-nextjs-window1.json").path) }

    static func events(_ name: String) throws -> [JSONValue] {
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
        return try JSONValue.parse(bytes).arrayValue ?? []
    }
}

@Suite struct FrustrationClickTests {
    @Test(.enabled(if: SharedRecordings.present, "../shared/fixtures/rrweb is absent: the shared recordings live beside the project"))
    func postHogRecordingsHaveOneRageClickEach() throws {
        let first = FrustrationClicks.detect(try SharedRecordings.events("posthog-nextjs-window1.json")).filter { $0.kind == .rage }
        #expect(first.map(\.nodeID) == [27] && first.map(\.ts) == [1_682_952_384_676])
        let second = FrustrationClicks.detect(try SharedRecordings.events("posthog-nextjs-window2.json")).filter { $0.kind == .rage }
        #expect(second.map(\.nodeID) == [33] && second.map(\.ts) == [1_682_952_390_244])
        #expect(first[0].path == "/" && !first[0].target.hasPrefix("node "))
        #expect(first[0].target == second[0].target, "the same button in two page loads")
    }

    @Test(.enabled(if: SharedRecordings.present, "../shared/fixtures/rrweb is absent: the shared recordings live beside the project"))
    func clicksWithoutCoordinatesNeverRage() throws {
        let events = try SharedRecordings.events("rrweb-form-interactions.json")
        #expect(FrustrationClicks.detect(events).allSatisfy { $0.kind == .dead })
    }

    static let page: JSONValue = try! JSONValue.parse("""
        {"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[
          {"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[
            {"type":2,"id":4,"tagName":"button","attributes":{"id":"pay","class":"primary big"},"childNodes":[]},
            {"type":2,"id":5,"tagName":"input","attributes":{"type":"text"},"childNodes":[]},
            {"type":2,"id":6,"tagName":"a","attributes":{"class":"help"},"childNodes":[]}]}]}]}
        """)

    func recording(_ tail: [JSONValue]) -> [JSONValue] {
        [.object(["type": .number(4), "timestamp": .number(0), "data": .object(["href": .string("https://shop.example.com/cart?x=1")])]),
         .object(["type": .number(2), "timestamp": .number(1), "data": .object(["node": Self.page])])] + tail
    }

    func click(_ id: Int, at ts: Int, x: Double = 10, y: Double = 10) -> JSONValue {
        .object(["type": .number(3), "timestamp": .number(Double(ts)),
                 "data": .object(["source": .number(2), "type": .number(2), "id": .number(Double(id)), "x": .number(x), "y": .number(y)])])
    }

    func incremental(source: Int, at ts: Int, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var data: [String: JSONValue] = ["source": .number(Double(source))]
        data.merge(extra) { $1 }
        return .object(["type": .number(3), "timestamp": .number(Double(ts)), "data": .object(data)])
    }

    var mutation: [String: JSONValue] { ["texts": .array([.object(["id": .number(4), "value": .string("Paid")])])] }

    @Test func clickWithNoReactionIsDeadAndNamesItsTarget() {
        let found = FrustrationClicks.detect(recording([click(4, at: 1000), incremental(source: 1, at: 4000)]))
        #expect(found.count == 1)
        #expect(found.first?.kind == .dead && found.first?.target == "button#pay.primary.big" && found.first?.path == "/cart")
    }

    @Test func mutationScrollNavigationOrTextEntrySaveAClick() {
        let mutated = recording([click(4, at: 1000), incremental(source: 0, at: 3000, mutation), incremental(source: 1, at: 5000)])
        #expect(FrustrationClicks.detect(mutated).isEmpty)
        let emptyMutation = recording([click(4, at: 1000), incremental(source: 0, at: 3000, ["adds": .array([])]), incremental(source: 1, at: 5000)])
        #expect(FrustrationClicks.detect(emptyMutation).count == 1)
        let scrolled = recording([click(6, at: 1000), incremental(source: 3, at: 1050), incremental(source: 1, at: 5000)])
        #expect(FrustrationClicks.detect(scrolled).isEmpty)
        let lateScroll = recording([click(6, at: 1000), incremental(source: 3, at: 1200), incremental(source: 1, at: 5000)])
        #expect(FrustrationClicks.detect(lateScroll).count == 1)
        let typed = recording([click(5, at: 1000), incremental(source: 1, at: 5000)])
        #expect(FrustrationClicks.detect(typed).isEmpty)
        let navigated = recording([click(4, at: 1000), .object(["type": .number(4), "timestamp": .number(1500), "data": .object(["href": .string("https://shop.example.com/done")])]),
                                   incremental(source: 1, at: 5000)])
        #expect(FrustrationClicks.detect(navigated).isEmpty)
    }

    @Test func clickAtTheEndOfTheRecordingIsNotJudged() {
        #expect(FrustrationClicks.detect(recording([click(4, at: 1000)])).isEmpty)
    }

    @Test func rageNeedsThreeCloseQuickClicks() {
        let rage = recording([click(4, at: 1000), click(4, at: 1500, x: 20), click(4, at: 2400, x: 25, y: 30), incremental(source: 0, at: 2500, mutation)])
        #expect(FrustrationClicks.detect(rage).map(\.kind) == [.rage])
        let slow = recording([click(4, at: 1000), click(4, at: 2000), click(4, at: 2900), incremental(source: 0, at: 3000, mutation)])
        #expect(FrustrationClicks.detect(slow).filter { $0.kind == .rage }.isEmpty)
        let far = recording([click(4, at: 1000), click(4, at: 1200, x: 41), click(4, at: 1400, x: 72), incremental(source: 0, at: 1500, mutation)])
        #expect(FrustrationClicks.detect(far).filter { $0.kind == .rage }.isEmpty)
    }
}
