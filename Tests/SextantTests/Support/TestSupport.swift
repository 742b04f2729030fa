import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SextantCore
@testable import SextantServer

/// A fresh data directory per test, removed afterwards.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sextant-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

enum Fixture {
    static let password = "test-pw"
    static let spyglassKey = "sg_live_test_inventory"
    static let otherKey = "sg_live_test_billing"
    static let serverKey = "sg_server_test_inventory"
    static let baseTs: Int64 = 1_781_395_200_000  // 2026-06-14T00:00:00Z
    static let day: Int64 = 86_400_000

    static func configuration(dataDirectory: String) -> SextantConfiguration {
        var configuration = SextantConfiguration()
        configuration.dataDirectory = dataDirectory
        configuration.listen = ListenAddress(host: "127.0.0.1", port: 0)
        configuration.dashboardPassword = password
        configuration.limits.maxBodyBytes = 256 * 1024
        configuration.limits.maxDecompressedBytes = 1024 * 1024
        configuration.organizations = [
            OrganizationConfig(id: "acme", name: "Acme", projects: [
                ProjectConfig(slug: "inventory", keys: [spyglassKey], origins: ["https://app.example.com"], serverKey: serverKey),
            ]),
            OrganizationConfig(id: "globex", projects: [ProjectConfig(slug: "billing", keys: [otherKey])]),
        ]
        return configuration
    }

    static var basicAuth: String {
        "Basic " + Data("admin:\(password)".utf8).base64EncodedString()
    }

    static func eventsBody(_ events: [[String: Any]], app: String = "inventory", key: String = spyglassKey) -> ByteBuffer {
        let body: [String: Any] = ["app": app, "key": key, "events": events]
        return ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: body))
    }

    static func event(_ ts: Int64, type: String = "event", name: String = "view", user: String? = nil, session: String? = nil,
                      url: String? = nil, props: [String: Any]? = nil) -> [String: Any] {
        var event: [String: Any] = ["ts": ts, "type": type, "name": name]
        if let user { event["user_id"] = user }
        if let session { event["session_id"] = session }
        if let url { event["url"] = url }
        if let props { event["props"] = props }
        return event
    }

    static func rrwebChunk(start: Int64, count: Int = 5) -> [UInt8] {
        var events: [[String: Any]] = [["type": 4, "timestamp": start, "data": ["href": "https://shop.example.com/", "width": 1280, "height": 720]]]
        events.append(["type": 2, "timestamp": start + 1, "data": ["node": ["type": 0, "id": 1, "childNodes": []]]])
        for i in 1..<count {
            events.append(["type": 3, "timestamp": start + Int64(i) * 100, "data": ["source": 1, "positions": [["x": i, "y": i, "id": 1, "timeOffset": 0]]]])
        }
        return try! Array(JSONSerialization.data(withJSONObject: events, options: .sortedKeys))
    }
}

/// Runs `body` against the real application (router transport, services running).
func withTestApplication(
    _ configure: (inout SextantConfiguration) -> Void = { _ in },
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let directory = try TemporaryDirectory()
    var configuration = Fixture.configuration(dataDirectory: directory.path)
    configure(&configuration)
    let app = try await buildApplication(configuration: configuration)
    try await app.test(.router, body)
}

extension TestClientProtocol {
    @discardableResult
    func get<T>(_ uri: String, auth: Bool = true, _ check: @escaping (TestResponse) async throws -> T) async throws -> T {
        try await execute(uri: uri, method: .get, headers: auth ? [.authorization: Fixture.basicAuth] : [:], body: nil, testCallback: check)
    }

    func json(_ uri: String) async throws -> [String: Any] {
        try await get(uri) { response in
            guard response.status == .ok else { throw TestFailure("GET \(uri): \(response.status) \(String(buffer: response.body))") }
            return try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as! [String: Any]
        }
    }

    func postEvents(_ events: [[String: Any]], app: String = "inventory", key: String = Fixture.spyglassKey, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: "/v1/events", method: .post, headers: headers, body: Fixture.eventsBody(events, app: app, key: key)) { $0 }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as! [String: Any]
}
