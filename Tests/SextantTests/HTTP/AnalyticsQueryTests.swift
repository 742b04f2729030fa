import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import SextantCore
import Testing
@testable import SextantServer

/// `/v1/query/trends`, `/retention` and `/paths` over HTTP (issue 11): ISO dates, empty ranges
/// and bad parameters refused with their name.
@Suite struct AnalyticsQueryTests {
    static let day = Fixture.day

    func seed(_ client: some TestClientProtocol) async throws {
        let base = Fixture.baseTs
        let events: [[String: Any]] = [
            ["ts": base + 1000, "type": "event", "name": "signup", "user_id": "ada"],
            ["ts": base + 2000, "type": "event", "name": "view", "user_id": "ada", "props": ["plan": "pro"]],
            ["ts": base + Self.day + 5, "type": "event", "name": "view", "user_id": "ada", "props": ["plan": "pro"]],
            ["ts": base + Self.day + 9, "type": "event", "name": "view", "user_id": "bob"],
            ["ts": base + 2 * Self.day, "type": "event", "name": "purchase", "user_id": "ada"],
        ]
        #expect(try await client.postEvents(events).status == .noContent)
    }

    @Test func trendsTakeISODatesAndFillEveryBucket() async throws {
        try await withTestApplication { client in
            try await seed(client)
            let trends = try await client.json("/v1/query/trends?event=view,purchase&from=2026-06-14&to=2026-06-16&measure=users")
            #expect(trends["buckets"] as? [Int64] == [Fixture.baseTs, Fixture.baseTs + Self.day, Fixture.baseTs + 2 * Self.day])
            let series = trends["series"] as! [[String: Any]]
            #expect(series.map { $0["values"] as? [Int] } == [[1, 2, 0], [0, 0, 1]])
            let broken = try await client.json("/v1/query/trends?event=view&from=2026-06-14&to=2026-06-16&breakdown=props.plan")
            let values = (broken["series"] as! [[String: Any]]).map { "\($0["breakdown_value"]!)=\($0["total"]!)" }
            #expect(values == ["pro=2", "(none)=1"])
            let empty = try await client.json("/v1/query/trends?event=view&from=2020-01-01&to=2020-01-02")
            #expect((empty["series"] as! [[String: Any]]).first?["values"] as? [Int] == [0, 0])
        }
    }

    @Test func retentionAndPathsAnswerTheirTables() async throws {
        try await withTestApplication { client in
            try await seed(client)
            let retention = try await client.json("/v1/query/retention?start_event=signup&return_event=view&periods=3&from=2026-06-14&to=2026-06-15")
            let cohorts = retention["cohorts"] as! [[String: Any]]
            #expect(cohorts.map { $0["date"] as? String } == ["2026-06-14", "2026-06-15"])
            #expect(cohorts.map { $0["returning"] as? [Int] } == [[1, 1, 0], [0, 0, 0]])
            let paths = try await client.json("/v1/query/paths?start=signup&steps=2")
            #expect(paths["starts"] as? Int == 1)
            #expect((paths["paths"] as! [[String: Any]]).map { $0["steps"] as? [String] } == [["view", "view"]])
        }
    }

    @Test func funnelsReportStepTimesAndWhoDroppedOffWhenAsked() async throws {
        try await withTestApplication { client in
            try await seed(client)
            let plain = try await client.json("/v1/query/funnel?steps=signup,view,purchase")
            #expect((plain["steps"] as! [[String: Any]]).map { $0.keys.sorted() } == [["count", "name"], ["count", "name"], ["count", "name"]])
            #expect(plain["dropoff"] == nil)
            let timed = try await client.json("/v1/query/funnel?steps=view,purchase&times=true&dropoff=1")
            let steps = timed["steps"] as! [[String: Any]]
            #expect(steps.map { $0["count"] as? Int } == [2, 1] && steps[1]["median_ms_to_convert"] as? Double == Double(2 * Self.day - 2000))
            let dropoff = try #require(timed["dropoff"] as? [String: Any])
            #expect(dropoff["users"] as? [String] == ["bob"] && dropoff["total"] as? Int == 1 && dropoff["next_offset"] is NSNull)
        }
    }

    @Test func badParametersAreNamed() async throws {
        try await withTestApplication { client in
            let cases = [
                ("/v1/query/trends", "event"), ("/v1/query/trends?event=a&interval=month", "interval"),
                ("/v1/query/trends?event=a&measure=sum", "measure"), ("/v1/query/trends?event=a&breakdown=color", "breakdown"),
                ("/v1/query/trends?event=a&interval=hour&from=2020-01-01&to=2026-01-01", "interval"),
                ("/v1/query/trends?event=a&from=2026-02-30", "from"), ("/v1/query/trends?event=a&from=2026-06-02&to=2026-06-01", "from"),
                ("/v1/query/retention?return_event=b", "start_event"), ("/v1/query/retention?start_event=a", "return_event"),
                ("/v1/query/retention?start_event=a&return_event=b&period=hour", "period"),
                ("/v1/query/retention?start_event=a&return_event=b&periods=0", "periods"),
                ("/v1/query/paths", "start"), ("/v1/query/paths?start=a&steps=11", "steps"),
                ("/v1/query/funnel?steps=a,b&dropoff=2", "dropoff"), ("/v1/query/funnel?steps=a,b&times=maybe", "times"),
            ]
            for (uri, parameter) in cases {
                let (status, body) = try await client.get(uri) { ($0.status, String(buffer: $0.body)) }
                #expect(status == .badRequest && body.contains(parameter), "\(uri): \(body)")
            }
        }
    }
}
