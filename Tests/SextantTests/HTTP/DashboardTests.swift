import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import SextantCore
import Testing
@testable import SextantServer

@Suite struct DashboardTests {
    @Test func everyFileOfTheDashboardIsServed() throws {
        let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../Sources/SextantServer/Dashboard/web").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: web.path).filter { !$0.hasPrefix(".") }
        #expect(Set(files) == Set(DashboardAssets.files.keys))
    }

    @Test func pageIsGatedButCodeAndSDKAreNot() async throws {
        try await withTestApplication { client in
            try await client.get("/", auth: false) { #expect($0.status == .unauthorized) }
            try await client.get("/sessions/abc") { response in
                #expect(response.status == .ok && String(buffer: response.body).contains("/assets/app.js"))
            }
            try await client.get("/assets/player.js", auth: false) { response in
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/javascript") == true)
            }
            try await client.get("/assets/index.html", auth: false) { #expect($0.status == .notFound) }
            try await client.get("/sdk.js", auth: false) { response in
                #expect(response.status == .ok && response.headers[.accessControlAllowOrigin] == "*")
                #expect(String(buffer: response.body).contains("window.Sextant"))
            }
        }
    }

    @Test func demoDataMakesAFunnelIssuesAndReplays() async throws {
        let directory = try TemporaryDirectory()
        let store = try await StoreBackend.makeSQLiteStore(directory: directory.path)
        let now: Int64 = 1_800_000_000_000
        #expect(try await DemoData.load(into: store, now: now))
        #expect(try await !DemoData.load(into: store, now: now))  // once only
        let funnel = try await store.analytics.funnel(steps: ["view_product", "add_to_cart", "checkout", "purchase"], filter: TimeFilter(), windowMs: nil)
        #expect(funnel.count == 4 && funnel.allSatisfy { $0 > 0 } && funnel == funnel.sorted(by: >))
        let issues = try await store.issues.issues(IssueFilter(organizationID: DemoData.organization)).items
        #expect(issues.filter { $0.kind == .error }.count >= 2)
        let session = try #require(try await store.analytics.session(id: "demo-s90", projectSlug: "shop"))
        #expect(session.chunkCount == 1)
        let events = ShopReplay.events(start: 0, variant: 0)
        #expect(FrustrationClicks.detect(events).map(\.kind).contains(.rage), "the generated coupon clicks are a rage click")
        #expect(FrustrationClicks.detect(ShopReplay.events(start: 0, variant: 1)).isEmpty, "a calm visit has no frustrated clicks")
    }

    /// The demo agrees with itself: each replay covers its whole session, so a timeline row seeks
    /// to the moment it lists, and every error issue's sample session can be watched.
    @Test func demoReplaysSpanTheirSessionsAndEveryErrorSampleHasOne() async throws {
        let directory = try TemporaryDirectory()
        let store = try await StoreBackend.makeSQLiteStore(directory: directory.path)
        #expect(try await DemoData.load(into: store, now: 1_800_000_000_000))
        var filter = ListFilter(projectSlug: "shop", limit: 500)
        filter.session.hasReplay = true
        let recorded = try await store.analytics.sessions(filter)
        #expect(recorded.count >= 10)
        var productsChecked = 0
        for session in recorded {
            let chunks = try await store.analytics.replayChunks(projectID: session.projectID, sessionID: session.sessionID)
            let start = chunks.map(\.ts).min() ?? .max, end = chunks.map(\.endTs).max() ?? .min
            #expect(start <= session.startedAt && end >= session.lastSeen, "\(session.sessionID): replay \(start)...\(end), events \(session.startedAt)...\(session.lastSeen)")
            // The product put in the cart on screen is the one the session's events name.
            var filter = EventFilter()
            filter.sessionID = session.sessionID
            filter.name = "add_to_cart"
            guard let added = try await store.analytics.events(filter).first?.event.propsJSON,
                  let key = chunks.first?.blobKey, let gzipped = try await store.blobs.get(key: key) else { continue }
            let replay = String(buffer: try GzipBody.inflate(ByteBuffer(bytes: gzipped), limit: 10_000_000))
            let product = try #require(ShopReplay.products.first { added.contains($0.0) })
            #expect(replay.contains("\(product.0) — $\(product.1)"), "\(session.sessionID) adds \(product.0)")
            productsChecked += 1
        }
        #expect(productsChecked >= 5)
        let errors = try await store.issues.issues(IssueFilter(organizationID: DemoData.organization, kind: .error, limit: 50)).items
        for issue in errors {
            guard let sample = issue.sampleSessionID else { continue }
            #expect(recorded.contains { $0.sessionID == sample }, "\(issue.title): its sample session \(sample) has a replay")
        }
        #expect(errors.contains { $0.sampleSessionID != nil })
        let people = try await store.analytics.users(ListFilter(projectSlug: "shop", limit: 100))
        #expect(people.allSatisfy { $0.propertiesJSON?.contains("plan") == true }, "every demo customer has the properties identify set")
    }
}
