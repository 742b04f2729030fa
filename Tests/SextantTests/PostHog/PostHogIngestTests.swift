import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// PostHog capture over HTTP (issue 13): what each event becomes, and bad bodies refused whole.
@Suite struct PostHogIngestTests {
    func post(_ client: some TestClientProtocol, _ path: String, _ body: String, headers: HTTPFields = [.contentType: "application/json"]) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) { ($0.status, String(buffer: $0.body)) }
    }

    static let batch = """
        {"api_key":"\(Fixture.spyglassKey)","sent_at":"2026-06-14T00:00:10Z","batch":[
          {"event":"$pageview","distinct_id":"ada","timestamp":"2026-06-14T00:00:01Z",
           "properties":{"$current_url":"https://shop.example.com/cart","$session_id":"s-1","$set":{"plan":"pro"}}},
          {"event":"$identify","distinct_id":"ada","timestamp":"2026-06-14T00:00:02Z","properties":{"$set_once":{"source":"ads"},"$anon_distinct_id":"anon-1"}},
          {"event":"$exception","distinct_id":"ada","timestamp":"2026-06-14T00:00:03Z","properties":{"$session_id":"s-1","$exception_list":[
            {"type":"TypeError","value":"x is undefined","stacktrace":{"frames":[
              {"filename":"app.js","function":"render","lineno":10,"colno":5,"in_app":true},
              {"filename":"cart.js","function":"total","lineno":3,"colno":1,"in_app":true}]}},
            {"type":"Error","value":"cause"}]}},
          {"event":"$set","distinct_id":"ada","$set":{"email":"ada@example.com"}}
        ]}
        """

    @Test func aBatchBecomesPageviewsErrorsAndUserProperties() async throws {
        try await withTestApplication { client in
            let (status, body) = try await post(client, "/batch/", Self.batch)
            #expect(status == .ok && body == #"{"status":1}"#)
            let events = try await client.json("/v1/query/events?app=inventory")["events"] as! [[String: Any]]
            let byName = Dictionary(uniqueKeysWithValues: events.map { ($0["name"] as! String, $0) })
            #expect(Set(byName.keys) == ["$pageview", "$identify", "TypeError"])
            #expect(byName["$pageview"]?["type"] as? String == "pageview" && byName["$pageview"]?["url"] as? String == "https://shop.example.com/cart")
            #expect(byName["$pageview"]?["session_id"] as? String == "s-1" && byName["$pageview"]?["user_id"] as? String == "ada")
            let error = try #require(byName["TypeError"]?["props"] as? [String: Any])
            #expect((error["stack"] as? [String])?.first == "at total (cart.js:3:1)" && (error["chain"] as? [[String: Any]])?.count == 2)
            let issues = try await client.json("/v1/issues?status=")["issues"] as! [[String: Any]]
            #expect(issues.map { $0["title"] as? String } == ["TypeError: x is undefined"])
            let user = try #require((try await client.json("/v1/query/users?user=ada")["users"] as! [[String: Any]]).first)
            #expect(user["properties"] as? [String: String] == ["plan": "pro", "source": "ads", "email": "ada@example.com"])
        }
    }

    @Test func anyBadEventRefusesTheWholeBodyAndStoresNothing() async throws {
        try await withTestApplication { client in
            let cases = [
                (#"{"api_key":"\#(Fixture.spyglassKey)","batch":[{"event":"ok","distinct_id":"u"},{"event":"no user"}]}"#, HTTPResponse.Status.badRequest, "distinct_id"),
                (#"{"api_key":"\#(Fixture.spyglassKey)","batch":[{"distinct_id":"u"}]}"#, .badRequest, "event must be"),
                (#"{"api_key":"\#(Fixture.spyglassKey)","batch":{}}"#, .badRequest, "batch must be an array"),
                (#"[{"event":"x","distinct_id":"u"}]"#, .unauthorized, "API key"),
                ("not json", .badRequest, "not JSON"),
                (#"{"api_key":"\#(Fixture.spyglassKey)","batch":[{"event":"ok","distinct_id":"u"},{"event":"$snapshot","distinct_id":"u","properties":{"$session_id":"s","$snapshot_data":[{"type":"x"}]}}]}"#, .badRequest, "$snapshot"),
            ]
            for (body, expected, detail) in cases {
                let (status, text) = try await post(client, "/e/", body)
                #expect(status == expected && text.contains(detail) && text.contains(#""detail""#), "\(body): \(text)")
            }
            #expect((try await client.json("/v1/query/events")["events"] as! [Any]).isEmpty)
        }
    }

    @Test func formEncodedBase64AndTheTokenInTheQueryAreAccepted() async throws {
        try await withTestApplication { client in
            let payload = Data(#"{"event":"clicked","properties":{"distinct_id":"u-9","plan":"pro"}}"#.utf8).base64EncodedString()
            let form = "data=" + payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (status, text) = try await post(client, "/capture/?token=\(Fixture.spyglassKey)", form,
                                                headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(status == .ok, "\(text)")
            let events = try await client.json("/v1/query/events?name=clicked")["events"] as! [[String: Any]]
            #expect(events.first?["user_id"] as? String == "u-9" && (events.first?["props"] as? [String: Any])?["plan"] as? String == "pro")
        }
    }

    @Test func flagsAnswerThatNothingIsEnabled() async throws {
        try await withTestApplication { client in
            let (status, body) = try await post(client, "/flags/?v=2", #"{"token":"anything","distinct_id":"u"}"#)
            let answer = try jsonObject(ByteBuffer(string: body))
            #expect(status == .ok && (answer["featureFlags"] as? [String: Any])?.isEmpty == true && answer["errorsWhileComputingFlags"] as? Bool == false)
        }
    }
}
