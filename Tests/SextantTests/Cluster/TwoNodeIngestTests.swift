import Foundation
import Testing
@testable import SextantCore

/// Two nodes writing one database at once: counts stay exact, each transition alerts once, and
/// nothing deadlocks.
@Suite struct TwoNodeIngestTests {
    @Test(arguments: StoreBackend.available)
    func oneErrorSentThreeHundredTimesThroughTwoNodesIsOneIssueOfThreeHundred(_ backend: StoreBackend) async throws {
        try await backend.withNodes(2) { nodes in
            try await nodes[0].tenancy.applyConfiguration([OrganizationConfig(id: "acme", projects: [
                ProjectConfig(slug: "shop", webhooks: [WebhookConfig(url: "https://hooks.example.com/a", events: [.newIssue, .regression])]),
            ])], now: 1)
            let project = try #require(try await nodes[0].tenancy.project(slug: "shop")).id
            // 300 commits, spread over both nodes and run concurrently: each an error and a pageview
            // in one of 10 sessions of 5 users.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<300 {
                    group.addTask {
                        let user = "u\(index % 5)", session = "s\(index % 10)"
                        let events = [
                            IngestEvent(ts: Int64(1_000 + index), type: .error, name: "TypeError", userID: user, sessionID: session,
                                        propsJSON: #"{"message":"cart is undefined"}"#),
                            IngestEvent(ts: Int64(1_000 + index), type: .pageview, name: "$pageview", userID: user, sessionID: session, url: "https://shop/"),
                        ]
                        _ = try await nodes[index % 2].ingest.commit([.events(EventBatch(projectID: project, receivedAt: 2_000, events: events))])
                    }
                }
                try await group.waitForAll()
            }
            let issues = try await nodes[1].issues.issues(IssueFilter(organizationID: "acme")).items
            #expect(issues.count == 1 && issues.first?.count == 300)
            #expect(issues.first?.userCount == 5 && issues.first?.sessionCount == 10)
            let sessions = try await nodes[0].analytics.sessions(ListFilter(projectSlug: "shop"))
            #expect(sessions.count == 10 && sessions.map(\.eventCount).reduce(0, +) == 600 && sessions.map(\.errorCount).reduce(0, +) == 300)
            let users = try await nodes[1].analytics.users(ListFilter(projectSlug: "shop"))
            #expect(users.count == 5 && users.map(\.sessionCount).reduce(0, +) == 10)
            // One new_issue alert however many writers saw the error first; resolved, then sent again
            // concurrently, one regression.
            var alerts = try await nodes[0].alerts.dueAlerts(now: .max, limit: 100)
            #expect(alerts.count == 1 && alerts[0].body.contains(#""event":"new_issue""#))
            for alert in alerts { try await nodes[0].alerts.markDelivered(id: alert.id, now: 3_000) }
            let issue = try #require(issues.first)
            _ = try await nodes[1].issues.updateIssue(id: issue.id, organizationID: "acme", patch: IssuePatch(status: .resolved), now: 3_000)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let error = IngestEvent(ts: 4_000, type: .error, name: "TypeError", userID: "u1", propsJSON: #"{"message":"cart is undefined"}"#)
                        _ = try await nodes[index % 2].ingest.commit([.events(EventBatch(projectID: project, receivedAt: 4_000, events: [error]))])
                    }
                }
                try await group.waitForAll()
            }
            alerts = try await nodes[1].alerts.dueAlerts(now: .max, limit: 100)
            #expect(alerts.count == 1 && alerts[0].body.contains(#""event":"regression""#))
            let reopened = try await nodes[0].issues.issues(IssueFilter(organizationID: "acme")).items.first
            #expect(reopened?.count == 340 && reopened?.status == .unresolved)
        }
    }
}
