import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// The dashboard's settings routes: each creates, shows and deletes its object, the change takes
/// effect on ingest, and no other site's page can make the browser change anything.
@Suite struct SettingsTests {
    typealias Answer = (status: HTTPResponse.Status, json: [String: Any])

    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: Any? = nil,
                     headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers: HTTPFields = [.authorization: Fixture.basicAuth, .contentType: "application/json"]
        headers.append(contentsOf: extra)
        let bytes = try body.map { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: $0)) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: bytes) { response in
            (response.status, (try? jsonObject(response.body)) ?? [:])
        }
    }

    /// Polls until `condition` holds: key changes reach ingest through a cache of a few seconds.
    static func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test func aProjectCreatedInTheDashboardTakesEventsWithItsKeyUntilTheKeyIsRevoked() async throws {
        try await withTestApplication { client in
            let created = try await Self.call(client, .post, "/v1/settings/projects", ["slug": "web", "name": "Web", "organization_id": "acme"])
            #expect(created.status == .created)
            let key = try #require((created.json["key"] as? [String: Any])?["key"] as? String)
            let dsn = try #require((created.json["key"] as? [String: Any])?["sentry_dsn"] as? String)
            #expect(dsn.contains("\(key)@") && dsn.hasSuffix("/\(created.json["id"] as! Int)"))
            #expect(try await client.postEvents([Fixture.event(Fixture.baseTs)], app: "web", key: key).status == .noContent)

            let listed = try await Self.call(client, .get, "/v1/settings/projects")
            let projects = try #require(listed.json["projects"] as? [[String: Any]])
            let web = try #require(projects.first { $0["slug"] as? String == "web" })
            #expect((web["keys"] as? [[String: Any]])?.compactMap { $0["key"] as? String } == [key])

            #expect(try await Self.call(client, .post, "/v1/settings/projects", ["slug": "web", "organization_id": "acme"]).status == .conflict)
            #expect(try await Self.call(client, .post, "/v1/settings/projects", ["slug": "no spaces", "organization_id": "acme"]).status == .badRequest)
            #expect(try await Self.call(client, .post, "/v1/settings/projects", ["slug": "lost"]).status == .badRequest, "two organizations: name one")
            // The configuration file's key is changed there, not here.
            #expect(try await Self.call(client, .delete, "/v1/settings/keys/\(Fixture.spyglassKey)").status == .conflict)

            let second = try await Self.call(client, .post, "/v1/settings/projects/web/keys")
            #expect(second.status == .created)
            #expect(try await Self.call(client, .delete, "/v1/settings/keys/\(key)").status == .noContent)
            #expect(try await Self.call(client, .delete, "/v1/settings/keys/\(key)").status == .notFound)
            try await Self.eventually("the revoked key is refused") {
                try await client.postEvents([Fixture.event(Fixture.baseTs)], app: "web", key: key).status == .unauthorized
            }
            #expect(try await client.postEvents([Fixture.event(Fixture.baseTs)], app: "web", key: second.json["key"] as! String).status == .noContent)
        }
    }

    @Test func changesFromAnotherSitesPageAreRefused() async throws {
        try await withTestApplication { client in
            let project = ["slug": "web", "organization_id": "acme"]
            let crossSite = try await Self.call(client, .post, "/v1/settings/projects", project, headers: [.secFetchSite: "cross-site"])
            #expect(crossSite.status == .forbidden)
            let foreignOrigin = try await Self.call(client, .post, "/v1/settings/projects", project, headers: [.origin: "https://evil.example"])
            #expect(foreignOrigin.status == .forbidden)
            let issue = try await Self.call(client, .patch, "/v1/issues/anything", ["status": "resolved"], headers: [.secFetchSite: "same-site"])
            #expect(issue.status == .forbidden)
            let listed = try await Self.call(client, .get, "/v1/settings/projects", headers: [.secFetchSite: "cross-site"])
            #expect((listed.json["projects"] as? [[String: Any]])?.contains { $0["slug"] as? String == "web" } == false, "nothing was created")
            // The dashboard's own page, and tools that send neither header, pass.
            #expect(try await Self.call(client, .post, "/v1/settings/projects", project, headers: [.secFetchSite: "same-origin"]).status == .created)
            #expect(try await Self.call(client, .post, "/v1/settings/projects/web/keys").status == .created)
        }
    }

    @Test func aTokenCreatedInTheDashboardReadsTheDataAPIUntilRevoked() async throws {
        try await withTestApplication { client in
            let created = try await Self.call(client, .post, "/v1/settings/tokens", ["name": "ci", "scopes": ["read:lucent"], "organization_id": "acme"])
            #expect(created.status == .created)
            let token = try #require(created.json["token"] as? String)
            let id = try #require(created.json["id"] as? String)
            let read: @Sendable () async throws -> HTTPResponse.Status = {
                try await client.execute(uri: "/api/v1/issues", method: .get, headers: [.authorization: "Bearer \(token)"], body: nil) { $0.status }
            }
            #expect(try await read() == .ok)
            let listed = try await Self.call(client, .get, "/v1/settings/tokens")
            let tokens = try #require(listed.json["tokens"] as? [[String: Any]])
            #expect(tokens.contains { $0["id"] as? String == id && $0["name"] as? String == "ci" })
            #expect(!String(describing: listed.json).contains(token), "a token is shown once, at creation")
            #expect(try await Self.call(client, .post, "/v1/settings/tokens", ["scopes": ["admin"], "organization_id": "acme"]).status == .badRequest)
            #expect(try await Self.call(client, .delete, "/v1/settings/tokens/\(id)").status == .noContent)
            #expect(try await read() == .unauthorized)
        }
    }

    @Test func monitorsAreCreatedPausedAndDeletedAndListTheirRuns() async throws {
        try await withTestApplication({ $0.organizations[0].projects[0].keys.append("seestack_live_settings") }) { client in
            let created = try await Self.call(client, .post, "/v1/settings/monitors", ["app": "inventory", "slug": "backup", "schedule": "0 3 * * *", "grace_seconds": 600])
            #expect(created.status == .created && created.json["status"] as? String == "pending" && created.json["source"] as? String == "dashboard")
            let id = try #require(created.json["id"] as? String)
            #expect(try await Self.call(client, .post, "/v1/settings/monitors", ["app": "inventory", "slug": "backup", "schedule": "1h"]).status == .conflict)
            #expect(try await Self.call(client, .post, "/v1/settings/monitors", ["app": "inventory", "slug": "x", "schedule": "every day"]).status == .badRequest)
            #expect(try await Self.call(client, .post, "/v1/settings/monitors", ["app": "nope", "slug": "x", "schedule": "1h"]).status == .badRequest)

            let paused = try await Self.call(client, .patch, "/v1/settings/monitors/\(id)", ["paused": true])
            #expect(paused.status == .ok && paused.json["status"] as? String == "paused")
            let ping = try await client.execute(
                uri: "/ingest/v1/heartbeat", method: .post, headers: [.seeStackKey: "seestack_live_settings", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"slug":"backup","status":"success","durationMs":43000}"#)) { $0.status }
            #expect(ping == .accepted)
            let detail = try await Self.call(client, .get, "/v1/monitors/\(id)")
            let monitor = try #require(detail.json["monitor"] as? [String: Any])
            #expect(monitor["status"] as? String == "healthy", "a run resumes a paused monitor")
            let runs = try #require(detail.json["heartbeats"] as? [[String: Any]])
            #expect(runs.count == 1 && runs[0]["status"] as? String == "success" && runs[0]["duration_ms"] as? Double == 43000)

            #expect(try await Self.call(client, .delete, "/v1/settings/monitors/\(id)").status == .noContent)
            #expect(try await Self.call(client, .get, "/v1/monitors/\(id)").status == .notFound)
            #expect(try await Self.call(client, .patch, "/v1/settings/monitors/\(id)", ["paused": false]).status == .notFound)
        }
    }

    @Test func aSignalCreatedInTheDashboardCountsTheNextBatch() async throws {
        try await withTestApplication { client in
            let created = try await Self.call(client, .post, "/v1/settings/signals", ["app": "inventory", "name": "Checkout views", "match": ["name": "checkout"]])
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(try await Self.call(client, .post, "/v1/settings/signals", ["app": "inventory", "name": "Bad", "match": ["colour": "red"]]).status == .badRequest)
            #expect(try await Self.call(client, .post, "/v1/settings/signals", ["app": "inventory", "name": "Bad", "match": "checkout"]).status == .badRequest)
            #expect(try await client.postEvents([Fixture.event(Fixture.baseTs, name: "checkout"), Fixture.event(Fixture.baseTs, name: "home")]).status == .noContent)
            try await Self.eventually("the signal counts the batch") {
                let listed = try await Self.call(client, .get, "/v1/settings/signals")
                return (listed.json["signals"] as? [[String: Any]])?.first { $0["id"] as? String == id }?["match_count"] as? Int == 1
            }
            #expect(try await Self.call(client, .delete, "/v1/settings/signals/\(id)").status == .noContent)
            let after = try await Self.call(client, .get, "/v1/settings/signals")
            #expect((after.json["signals"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test func aWebhookIsAddedTestedAndDeleted() async throws {
        let directory = try TemporaryDirectory()
        var dependencies = ApplicationDependencies()
        let transport = AnalysisServiceTests.RecordingTransport()
        dependencies.webhooks = transport
        let app = try await buildApplication(configuration: Fixture.configuration(dataDirectory: directory.path), dependencies: dependencies)
        try await app.test(.router) { client in
            let created = try await Self.call(client, .post, "/v1/settings/webhooks", ["app": "inventory", "url": "https://hooks.example.com/x", "events": ["new_issue"]])
            #expect(created.status == .created && created.json["events"] as? [String] == ["new_issue"])
            let id = try #require(created.json["id"] as? String)
            #expect(try await Self.call(client, .post, "/v1/settings/webhooks", ["app": "inventory", "url": "ftp://hooks.example.com"]).status == .badRequest)
            #expect(try await Self.call(client, .post, "/v1/settings/webhooks", ["app": "inventory", "url": "https://a.example", "events": ["everything"]]).status == .badRequest)

            let tested = try await Self.call(client, .post, "/v1/settings/webhooks/\(id)/test")
            #expect(tested.status == .ok)
            let sent = transport.sent.withLock { $0 }
            #expect(sent.count == 1 && sent[0].url == "https://hooks.example.com/x" && sent[0].body.contains(#""event":"test""#))
            transport.failuresLeft.withLock { $0 = 1 }
            #expect(try await Self.call(client, .post, "/v1/settings/webhooks/\(id)/test").status == .badGateway)

            let listed = try await Self.call(client, .get, "/v1/settings/webhooks")
            #expect((listed.json["webhooks"] as? [[String: Any]])?.compactMap { $0["url"] as? String } == ["https://hooks.example.com/x"])
            #expect(try await Self.call(client, .delete, "/v1/settings/webhooks/\(id)").status == .noContent)
            #expect(try await Self.call(client, .post, "/v1/settings/webhooks/\(id)/test").status == .notFound)
        }
    }
}
