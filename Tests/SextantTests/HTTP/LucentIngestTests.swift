import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

@Suite struct LucentIngestTests {
    static let key = "luc_pk_test_inventory"

    func body(session: String, sequence: Int, events: [[String: Any]], userID: String? = "user-42", properties: [String: Any]? = nil,
              userAgent: String = "test") -> ByteBuffer {
        var user: [String: Any] = ["anonymousId": "anon-1", "id": userID as Any? ?? NSNull()]
        if let properties { user["properties"] = properties }
        let batch: [String: Any] = [
            "session": ["id": session, "windowId": "w1", "startedAt": Fixture.baseTs, "url": "https://shop.example.com/"],
            "user": user,
            "page": ["url": "https://shop.example.com/cart", "referrer": NSNull()],
            "replay": ["events": events, "sequence": sequence],
            "metadata": ["userAgent": userAgent], "flush": "normal",
        ]
        return ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: batch, options: .sortedKeys))
    }

    func events(_ start: Int64) -> [[String: Any]] {
        [["type": 4, "timestamp": start, "data": ["href": "https://shop.example.com/"]], ["type": 2, "timestamp": start + 5, "data": [:]]]
    }

    func withLucentApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withTestApplication({ $0.organizations[0].projects[0].keys.append(Self.key) }, body)
    }

    /// Lucent's `user.properties` and `metadata.userAgent` show on the person and the session.
    @Test func theUsersPropertiesAndTheRecordingBrowserAreKept() async throws {
        try await withLucentApp { client in
            let phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
            let batch = body(session: "lucent-props", sequence: 0, events: events(Fixture.baseTs), properties: ["plan": "pro", "password": "hunter2"],
                             userAgent: phone)
            let status = try await client.execute(uri: "/api/sdk/replay", method: .post, headers: [.lucentKey: Self.key], body: batch) { $0.status }
            #expect(status == .ok)
            let user = (try await client.json("/v1/query/users?user=user-42")["users"] as! [[String: Any]]).first
            let properties = user?["properties"] as? [String: Any]
            #expect(properties?["plan"] as? String == "pro" && properties?["password"] as? String == "***REDACTED***")
            let session = (try await client.json("/v1/query/sessions?user=user-42")["sessions"] as! [[String: Any]]).first
            #expect(session?["browser"] as? String == "Safari" && session?["device"] as? String == "mobile")
        }
    }

    @Test func aBatchBecomesTheNextChunkOfItsSessionWithItsUser() async throws {
        try await withLucentApp { client in
            for sequence in [0, 1, 1] {
                try await client.execute(uri: "/api/sdk/replay", method: .post, headers: [.lucentKey: Self.key],
                                         body: body(session: "0b8f-uuid:like", sequence: sequence, events: events(Fixture.baseTs + Int64(sequence) * 1000))) { response in
                    #expect(response.status == .ok && String(buffer: response.body) == #"{"ok":true}"#)
                    #expect(response.headers[.accessControlAllowOrigin] == "*")
                }
            }
            let manifest = try await client.json("/v1/sessions/0b8f-uuid:like/replay")
            #expect((manifest["chunks"] as! [[String: Any]]).map { $0["seq"] as! Int } == [1, 2])
            let session = (try await client.json("/v1/query/sessions?user=user-42")["sessions"] as! [[String: Any]]).first
            #expect(session?["entry_url"] as? String == "https://shop.example.com/" && session?["chunk_count"] as? Int == 2)
        }
    }

    @Test func keysComeFromTheHeaderTheQueryOrABearer() async throws {
        try await withLucentApp { client in
            let beacon: HTTPFields = [.contentType: "text/plain;charset=UTF-8"]
            let bearer: HTTPFields = [.authorization: "Bearer \(Self.key)"]
            for (uri, headers) in [("/api/sdk/replay?api_key=\(Self.key)", beacon), ("/api/sdk/replay", bearer)] {
                try await client.execute(uri: uri, method: .post, headers: headers, body: body(session: "k\(uri.count)", sequence: 0, events: events(Fixture.baseTs))) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: "/api/sdk/replay", method: .post, body: body(session: "s", sequence: 0, events: events(0))) { response in
                #expect(response.status == .unauthorized && String(buffer: response.body) == #"{"error":"Missing API key"}"#)
            }
            try await client.execute(uri: "/api/sdk/replay", method: .post, headers: [.lucentKey: "luc_pk_wrong"], body: body(session: "s", sequence: 0, events: events(0))) { response in
                #expect(String(buffer: response.body) == #"{"error":"Invalid or revoked API key"}"#)
            }
        }
    }

    @Test func invalidBatchesListEveryProblem() throws {
        let text = #"{"session":{},"user":{"anonymousId":""},"page":{"url":"u"},"replay":{"events":[{"type":2}],"sequence":-1},"flush":"later"}"#
        #expect(throws: LucentReplayBatch.DecodingError.invalid([
            .init(path: "session.id", message: "Required non-empty string"),
            .init(path: "user.anonymousId", message: "Required non-empty string"),
            .init(path: "replay.sequence", message: "Required integer >= 0"),
            .init(path: "replay.events.0", message: "timestamp must be a number"),
            .init(path: "flush", message: "Expected \"normal\" or \"final\""),
        ])) { try LucentReplayBatch.decode(Array(text.utf8)) }
    }

    @Test func theStoredChunkIsExactlyTheEventsText() throws {
        let events = #"[ {"type":4,"timestamp":1,"data":{"href":"h"}} , {"type":2,"timestamp":2,"data":{}} ]"#
        let text = #"{"session":{"id":"s"},"user":{"anonymousId":"a"},"page":{"url":"u"},"replay":{"sequence":0,"events":\#(events)}}"#
        let batch = try LucentReplayBatch.decode(Array(text.utf8))
        #expect(String(decoding: batch.eventsJSON, as: UTF8.self) == events)
        #expect(batch.userID == "a" && batch.sequence == 0 && !batch.isFinal && batch.summary.fullSnapshotOffsets == [1])
    }
}
