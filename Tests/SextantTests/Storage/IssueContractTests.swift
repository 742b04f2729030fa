import Foundation
import Testing
@testable import SextantCore

/// Error grouping, triage and signals against every storage backend.
@Suite struct IssueContractTests {
    static let javaStack = #"["at com.example.Checkout.pay(Checkout.java:42)", "at java.base/java.lang.Thread.run(Thread.java:833)"]"#

    func errorEvent(_ ts: Int64, name: String = "CheckoutException", message: String, user: String, session: String? = nil,
                    url: String? = nil) -> IngestEvent {
        IngestEvent(ts: ts, type: .error, name: name, userID: user, sessionID: session, url: url,
                    propsJSON: #"{"message":"\#(message)","stack":\#(Self.javaStack)}"#)
    }

    @Test(arguments: StoreBackend.available)
    func issuesAreSearchedSortedAndCountedByStatus(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let events = [
                errorEvent(1_000, name: "PaymentError", message: "declined", user: "u1"),
                errorEvent(2_000, name: "PaymentError", message: "declined", user: "u2"),
                errorEvent(3_000, name: "PaymentError", message: "declined", user: "u3"),
                errorEvent(4_000, name: "SearchError", message: "index missing", user: "u1"),
                errorEvent(9_000, name: "CartError", message: "empty cart", user: "u1"),
                errorEvent(9_500, name: "CartError", message: "empty cart", user: "u1"),
            ]
            _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: 10, events: events))])
            func titles(_ configure: (inout IssueFilter) -> Void) async throws -> [String] {
                var filter = IssueFilter(organizationID: "acme", limit: 10)
                configure(&filter)
                return try await store.issues.issues(filter).items.map { $0.title.components(separatedBy: ":")[0] }
            }
            #expect(try await titles { $0.sort = .events } == ["PaymentError", "CartError", "SearchError"])
            #expect(try await titles { $0.sort = .users }.first == "PaymentError")
            #expect(try await titles { $0.sort = .lastSeen } == ["CartError", "SearchError", "PaymentError"])
            #expect(try await titles { $0.search = "CART" } == ["CartError"])
            #expect(try await titles { $0.search = "missing" } == ["SearchError"], "the title holds the message")
            #expect(try await titles { $0.search = "checkout.pay" }.count == 3, "the culprit is searched too")
            #expect(try await titles { $0.search = "nowhere" }.isEmpty)
            var searchFilter = IssueFilter(organizationID: "acme")
            searchFilter.search = "searcherror"
            let search = try #require(try await store.issues.issues(searchFilter).items.first)
            _ = try await store.issues.updateIssue(id: search.id, organizationID: nil, patch: IssuePatch(status: .resolved), now: 20)
            let counts = try await store.issues.statusCounts(IssueFilter(organizationID: "acme", status: .unresolved))
            #expect(counts[.unresolved] == 2 && counts[.resolved] == 1 && counts[.transient] == 0)
            searchFilter.search = "cart"
            #expect(try await store.issues.statusCounts(searchFilter)[.unresolved] == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func anIssueCountsItsDaysAndTagsAndKeepsItsLatestOccurrences(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let day = Fixture.day
            let start = Fixture.baseTs
            func error(_ ts: Int64, _ i: Int, release: String) -> IngestEvent {
                IngestEvent(ts: ts, type: .error, name: "CheckoutException", userID: "u\(i % 3)", sessionID: "s\(i)",
                            url: "https://shop.example.com/checkout?step=\(i)", propsJSON: """
                            {"message":"declined","stack":\(Self.javaStack),"release":"\(release)","environment":"production",
                             "contexts":{"browser":{"name":"Chrome"}},"tags":{"region":"eu"}}
                            """)
            }
            // 120 on day one (in two commits), none on day two, 10 on day three.
            for commit in 0..<2 {
                let events = (0..<60).map { error(start + Int64(commit * 60 + $0) * 1000, commit * 60 + $0, release: $0 % 4 == 0 ? "1.1" : "1.0") }
                _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: 10, events: events))])
            }
            let late = (0..<10).map { error(start + 2 * day + Int64($0) * 1000, 200 + $0, release: "1.2") }
            var log = LogRecord(ts: start + 2 * day + 20_000, level: .error, message: "declined", source: "luminalog")
            log.errorJSON = #"{"type":"CheckoutException","message":"declined","stack_trace":\#(Self.javaStack)}"#
            log.environment = "staging"
            _ = try await store.ingest.commit([
                .events(EventBatch(projectID: inventory, receivedAt: 11, events: late)), .logs(LogBatch(projectID: inventory, receivedAt: 12, records: [log])),
            ])
            let issue = try #require(try await store.issues.issues(IssueFilter(organizationID: "acme")).items.first)
            #expect(issue.count == 131)
            let activity = try await store.issues.activity(issueID: issue.id, from: nil, to: nil)
            #expect(activity.days.map(\.count) == [120, 0, 11])
            let tags = Dictionary(uniqueKeysWithValues: activity.tags.map { ($0.key, $0) })
            #expect(tags["release"]?.values.map(\.value) == ["1.0", "1.1", "1.2"] && tags["release"]?.values.map(\.count) == [90, 30, 10])
            #expect(tags["environment"]?.values.map(\.count) == [130, 1] && tags["environment"]?.total == 131)
            #expect(tags["browser"]?.values.first?.value == "Chrome" && tags["region"]?.values.first?.count == 130)
            #expect(tags["url"]?.values == [IssueActivity.TagValue(value: "/checkout", count: 130)], "URL tags are paths")
            #expect(tags["user"]?.values.count == 3)
            // Only the latest 100 are kept, newest first; counts above cover all 131.
            #expect(activity.occurrences.count == IssueActivity.keptOccurrences)
            #expect(activity.occurrences.first?.ts == start + 2 * day + 20_000 && activity.occurrences.first?.eventID == nil)
            #expect(activity.occurrences.map(\.ts) == activity.occurrences.map(\.ts).sorted(by: >))
            #expect(activity.occurrences[1].eventID != nil && activity.occurrences[1].tags.contains(IssueTag(key: "release", value: "1.2")))
            // A range bounds the days and the occurrences.
            let third = try await store.issues.activity(issueID: issue.id, from: start + 2 * day, to: start + 3 * day - 1)
            #expect(third.days.map(\.count) == [11] && third.occurrences.count == 11)
        }
    }

    @Test(arguments: StoreBackend.available)
    func errorsFromEverySourceGroupIntoOneIssue(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, billing in
            let events = [
                errorEvent(1_000, message: "card declined for order 12345", user: "u1", session: "s1"),
                errorEvent(2_000, message: "card declined for order 67890", user: "u2", session: "s2"),
                errorEvent(3_000, message: "card declined", user: "u1", session: "s1"),
            ]
            var log = LogRecord(ts: 4_000, level: .error, message: "payment failed", source: "luminalog")
            log.errorJSON = #"{"type":"CheckoutException","message":"card declined","stack_trace":\#(Self.javaStack)}"#
            _ = try await store.ingest.commit([
                .events(EventBatch(projectID: inventory, receivedAt: 10, events: events)),
                .logs(LogBatch(projectID: inventory, receivedAt: 11, records: [log])),
                .events(EventBatch(projectID: billing, receivedAt: 12, events: [events[0]])),
            ])
            let acme = try await store.issues.issues(IssueFilter(organizationID: "acme")).items
            #expect(acme.count == 1)
            let issue = try #require(acme.first)
            #expect(issue.count == 4 && issue.userCount == 2 && issue.sessionCount == 2)
            #expect(issue.title == "CheckoutException: card declined for order 12345" && issue.kind == .error && issue.status == .unresolved)
            #expect(issue.firstSeen == 1_000 && issue.lastSeen == 4_000 && issue.sampleSessionID == "s1" && issue.priority == .high)
            #expect(issue.culprit == "com.example.Checkout.pay(Checkout.java)")
            let globex = try await store.issues.issues(IssueFilter(organizationID: "globex")).items
            #expect(globex.count == 1 && globex[0].id != issue.id)
            #expect(try await store.issues.issue(id: issue.id, organizationID: "globex") == nil)
            // Seen from 1,000 to 4,000: within ranges that touch that span, not outside them.
            #expect(try await store.issues.issues(IssueFilter(organizationID: "acme", from: 3_500, to: 9_000)).items.count == 1)
            #expect(try await store.issues.issues(IssueFilter(organizationID: "acme", from: 4_001)).items.isEmpty)
            #expect(try await store.issues.issues(IssueFilter(organizationID: "acme", to: 999)).items.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func resolvedIssueRegressesAndTriageIsKept(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            let first = errorEvent(1_000, name: "TypeError", message: "x is undefined", user: "u1")
            _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: 10, events: [first]))])
            let issue = try #require(try await store.issues.issues(IssueFilter(organizationID: "acme")).items.first)
            let patched = try await store.issues.updateIssue(
                id: issue.id, organizationID: "acme", patch: IssuePatch(status: .resolved, ticketProvider: "linear", ticketURL: "https://l/1"), now: 20)
            #expect(patched?.status == .resolved && patched?.ticketProvider == "linear" && patched?.updatedAt == 20)
            #expect(try await store.issues.updateIssue(id: issue.id, organizationID: "globex", patch: IssuePatch(status: .transient), now: 21) == nil)
            _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: 30, events: [first]))])
            let reopened = try #require(try await store.issues.issue(id: issue.id, organizationID: "acme"))
            #expect(reopened.status == .unresolved && reopened.count == 2 && reopened.ticketURL == "https://l/1")
        }
    }

    @Test(arguments: StoreBackend.available)
    func pagesVisitEveryIssueOnceNewestFirst(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            for batch in 0..<3 {
                let events = (0..<5).map { errorEvent(Int64(batch * 10 + $0), name: "E\(batch)x\($0)", message: "m", user: "u") }
                _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: Int64(100 + batch), events: events))])
            }
            var seen: [SextantCore.Issue] = []
            var cursor: PageCursor?
            repeat {
                let page = try await store.issues.issues(IssueFilter(organizationID: "acme", after: cursor, limit: 4))
                seen += page.items
                cursor = page.next
            } while cursor != nil
            #expect(seen.count == 15 && Set(seen.map(\.id)).count == 15)
            let keys = seen.map { "\($0.createdAt)/\($0.id)" }
            #expect(keys == keys.sorted(by: >))
            let resolved = try await store.issues.issues(IssueFilter(organizationID: "acme", status: .resolved))
            #expect(resolved.items.isEmpty && resolved.next == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func signalsCountMatchesAsDataArrives(_ backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            var checkout = SignalMatch()
            checkout.type = "error"
            checkout.urlContains = "/checkout"
            _ = try await store.signals.createSignal(projectSlug: "inventory", name: "Checkout errors", prompt: nil, match: checkout, source: .cli, now: 1)
            var fatal = SignalMatch(source: .logs)
            fatal.level = "fatal"
            _ = try await store.signals.createSignal(projectSlug: "inventory", name: "Fatal logs", prompt: "Crashes", match: fatal, source: .cli, now: 2)
            let events = [
                errorEvent(1, message: "a", user: "u", url: "https://shop/checkout"),
                errorEvent(2, message: "b", user: "u", url: "https://shop/cart"),
                IngestEvent(ts: 3, type: .pageview, name: "view", url: "https://shop/checkout"),
            ]
            _ = try await store.ingest.commit([
                .events(EventBatch(projectID: inventory, receivedAt: 50, events: events)),
                .logs(LogBatch(projectID: inventory, receivedAt: 60, records: [LogRecord(ts: 4, level: .fatal, message: "boom", source: "luminalog")])),
            ])
            let signals = try await store.signals.signals(organizationID: "acme", after: nil, limit: 10).items
            #expect(signals.map(\.name) == ["Fatal logs", "Checkout errors"])
            #expect(signals.map(\.matchCount) == [1, 1] && signals.map(\.lastMatchAt) == [60, 50])
            #expect(try await store.signals.signals(organizationID: "globex", after: nil, limit: 10).items.isEmpty)
        }
    }
}
