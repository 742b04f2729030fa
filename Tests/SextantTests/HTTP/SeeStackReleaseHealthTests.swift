import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// allstak's releases, release-health sessions, database queries and flag evaluation (issue 9).
@Suite struct SeeStackReleaseHealthTests {
    let seeStack = SeeStackTests()

    func release(_ client: some TestClientProtocol, _ version: String) async throws -> [String: Any]? {
        let releases = try await client.json("/v1/releases?app=inventory")["releases"] as! [[String: Any]]
        return releases.first { $0["version"] as? String == version }
    }

    func sessions(of release: [String: Any]?) -> [String: Int] {
        (release?["sessions"] as? [String: Int]) ?? [:]
    }

    @Test func releasesAndSessionsGiveACrashFreeRateThatNeverImprovesByRetry() async throws {
        try await seeStack.withSeeStackApp { client in
            let registered = try await seeStack.post(client, "releases", #"""
                {"version":"shop@2.0.0","environment":"staging","commitSha":"abc123","branch":"main","author":"allstak-python/0.2.1","message":"deploy"}
                """#)
            #expect(registered.status == .accepted)
            // s1 ends before its start arrives (the SDK posts the start from another thread).
            #expect(try await seeStack.post(client, "sessions/end", #"{"sessionId":"s1","durationMs":1500,"status":"ok"}"#).status == .accepted)
            for session in ["s1", "s2", "s3"] {
                let started = try await seeStack.post(client, "sessions/start", #"""
                    {"sessionId":"\#(session)","release":"shop@2.0.0","environment":"staging","userId":"u-\#(session)","sdkName":"allstak-python","sdkVersion":"0.2.1","platform":"python"}
                    """#)
                #expect(started.status == .accepted)
            }
            // An error inside s2 marks it errored before it ends; its end says ok and must not downgrade it.
            _ = try await seeStack.post(client, "errors", #"{"exceptionClass":"ValueError","message":"bad","sessionId":"s2"}"#)
            _ = try await seeStack.post(client, "sessions/end", #"{"sessionId":"s2","durationMs":10,"status":"ok"}"#)
            for _ in 0..<2 { _ = try await seeStack.post(client, "sessions/end", #"{"sessionId":"s3","durationMs":20,"status":"crashed"}"#) }
            _ = try await seeStack.post(client, "sessions/end", #"{"sessionId":"s3","durationMs":20,"status":"ok"}"#)
            // A session of a release no one registered registers it.
            _ = try await seeStack.post(client, "sessions/start", #"{"sessionId":"s4","release":"shop@2.0.1"}"#)

            let staging = try #require(try await release(client, "shop@2.0.0"))
            #expect(staging["environment"] as? String == "staging" && staging["commit_sha"] as? String == "abc123")
            #expect(staging["branch"] as? String == "main" && staging["message"] as? String == "deploy")
            #expect(sessions(of: staging) == ["total": 3, "ok": 1, "errored": 1, "abnormal": 0, "crashed": 1, "open": 0])
            #expect(abs((staging["crash_free_rate"] as? Double ?? 0) - 2.0 / 3.0) < 1e-9)
            let unannounced = try await release(client, "shop@2.0.1")
            #expect(unannounced?["environment"] as? String == "production")
            #expect(sessions(of: unannounced)["open"] == 1 && unannounced?["crash_free_rate"] as? Double == 1)
            let production = try await client.json("/v1/releases?environment=production")["releases"] as! [[String: Any]]
            #expect(production.map { $0["version"] as? String } == ["shop@2.0.1"])
        }
    }

    @Test func releaseAndSessionValidationNamesTheField() async throws {
        try await seeStack.withSeeStackApp { client in
            let cases: [(String, String, String)] = [
                ("releases", #"{"version":"  "}"#, "version"),
                ("releases", #"{"version":"1","commitSha":5}"#, "commitSha"),
                ("sessions/start", #"{"sessionId":"s"}"#, "release"),
                ("sessions/end", #"{"sessionId":"s","status":"fine"}"#, "status"),
                ("sessions/end", #"{"sessionId":"s","status":"ok","durationMs":1e300}"#, "durationMs"),
                ("db", #"{"queries":[]}"#, "queries"),
                ("db", #"{"queries":[{"normalizedQuery":"SELECT 1","durationMs":-1}]}"#, "queries[0].durationMs"),
                ("db", #"{"queries":[{"normalizedQuery":"SELECT 1","durationMs":1,"rowsAffected":-2}]}"#, "queries[0].rowsAffected"),
                ("db", #"{"queries":[{"normalizedQuery":"SELECT 1","durationMs":1,"timestampMillis":1e19}]}"#, "queries[0].timestampMillis"),
                ("db", #"{"queries":[{"normalizedQuery":"SELECT 1","durationMs":1,"status":"meh"}]}"#, "queries[0].status"),
            ]
            for (path, body, field) in cases {
                let response = try await seeStack.post(client, path, body)
                #expect(response.status == .unprocessableContent, "\(path) \(body)")
                #expect(String(buffer: response.body).contains("\"\(field)\""), "\(path) \(body): \(String(buffer: response.body))")
            }
            #expect((try await client.json("/v1/releases")["releases"] as! [Any]).isEmpty)
            #expect((try await client.json("/v1/query/db")["queries"] as! [Any]).isEmpty)
        }
    }

    @Test func databaseQueriesGroupByNormalizedQueryMostTotalTimeFirst() async throws {
        try await seeStack.withSeeStackApp { client in
            func query(_ sql: String, _ ms: Int, status: String = "success", hash: Bool = true) -> String {
                let hashField = hash ? #""queryHash":"h-\#(sql.count)","# : ""
                return #"{\#(hashField)"normalizedQuery":"\#(sql)","durationMs":\#(ms),"status":"\#(status)","databaseType":"postgresql","databaseName":"shop","timestampMillis":1711886400000,"rowsAffected":1}"#
            }
            let orders = (1...10).map { query("SELECT * FROM orders WHERE id = ?", $0 * 10, status: $0 == 10 ? "error" : "success") }
            let fast = (1...3).map { _ in query("update carts set total = ? where id = ?", 1, hash: false) }
            let response = try await seeStack.post(client, "db", #"{"queries":[\#((orders + fast).joined(separator: ","))]}"#)
            #expect(response.status == .accepted && String(buffer: response.body) == #"{"ok":true,"accepted":13}"#)
            let groups = try await client.json("/v1/query/db?app=inventory")["queries"] as! [[String: Any]]
            #expect(groups.map { $0["normalized_query"] as? String } == ["SELECT * FROM orders WHERE id = ?", "update carts set total = ? where id = ?"])
            #expect(groups[0]["count"] as? Int == 10 && groups[0]["error_count"] as? Int == 1 && groups[0]["total_ms"] as? Int == 550)
            #expect(groups[0]["p50_ms"] as? Int == 50 && groups[0]["p95_ms"] as? Int == 100 && groups[0]["max_ms"] as? Int == 100)
            #expect(groups[0]["database_type"] as? String == "postgresql" && groups[0]["last_seen"] as? Int == 1_711_886_400_000)
            // A client that sends no hash or type still groups, by Sextant's own hash, and gets the statement kind.
            #expect(groups[1]["count"] as? Int == 3 && groups[1]["query_type"] as? String == "UPDATE")
            #expect((groups[1]["query_hash"] as? String)?.count == 16)
            #expect((try await client.json("/v1/query/db?database_type=mysql")["queries"] as! [Any]).isEmpty)
        }
    }

    @Test func flagEvaluationNeedsADataAPITokenAndKnowsNoFlags() async throws {
        try await DataAPITests.withDataAPI { client in
            let (anonymous, _, _) = try await DataAPITests.call(client, .get, "/api/v1/flags/evaluate?projectId=web", token: nil)
            #expect(anonymous == .unauthorized)
            let (status, body, _) = try await DataAPITests.call(client, .get, "/api/v1/flags/evaluate?projectId=web&userId=u1")
            #expect(status == .ok && (body["flags"] as? [String: Any])?.isEmpty == true)
            let (one, _, _) = try await DataAPITests.call(client, .get, "/api/v1/flags/new-checkout/evaluate?projectId=web")
            #expect(one == .notFound)
        }
    }
}
