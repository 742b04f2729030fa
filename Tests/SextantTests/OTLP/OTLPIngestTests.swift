import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import SextantCore
import Testing
@testable import SextantServer

/// `/v1/traces`, `/v1/metrics` and the OTLP side of `/v1/logs` over HTTP (issue 13).
@Suite struct OTLPIngestTests {
    static let protobuf: HTTPFields = [.contentType: "application/x-protobuf", .authorization: "Bearer \(Fixture.spyglassKey)"]
    static let json: HTTPFields = [.contentType: "application/json", .sextantKey: Fixture.spyglassKey]

    static func logsRequest(_ message: String) throws -> [UInt8] {
        var record = OTLPLogRecord()
        record.timeUnixNano = UInt64(Fixture.baseTs) * 1_000_000
        record.severityNumber = .info
        record.body.stringValue = message
        var scope = OTLPScopeLogs()
        scope.logRecords = [record]
        var resource = OTLPResourceLogs()
        resource.scopeLogs = [scope]
        var request = OTLPExportLogsServiceRequest()
        request.resourceLogs = [resource]
        return try request.serializedBytes()
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ body: [UInt8], _ headers: HTTPFields) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { $0 }
    }

    @Test func protobufLogsOnTheSharedRouteAreOTLPAndAnswerInProtobuf() async throws {
        try await withTestApplication { client in
            let response = try await post(client, "/v1/logs", try Self.logsRequest("from the collector"), Self.protobuf)
            #expect(response.status == .ok && response.headers[.contentType] == "application/x-protobuf")
            let answer = try OTLPExportLogsServiceResponse(serializedBytes: Array(buffer: response.body))
            #expect(!answer.hasPartialSuccess)
            let logs = try await client.json("/v1/query/logs")["logs"] as! [[String: Any]]
            #expect(logs.map { $0["message"] as? String } == ["from the collector"] && logs.first?["source"] as? String == "otlp")
        }
    }

    @Test func refusalsAreGoogleRPCStatusInTheRequestsEncodingAndStoreNothing() async throws {
        try await withTestApplication { client in
            let broken = try await post(client, "/v1/traces", [0x0a, 0xff, 0xff], Self.protobuf)
            #expect(broken.status == .badRequest && broken.headers[.contentType] == "application/x-protobuf")
            let status = try RPCStatus(serializedBytes: Array(buffer: broken.body))
            #expect(status.code == 3 && status.message.contains("protobuf"))

            var unknownKey = Self.json
            unknownKey[.sextantKey] = "nope"
            let refused = try await post(client, "/v1/metrics", Array(#"{"resourceMetrics":[]}"#.utf8), unknownKey)
            #expect(refused.status == .unauthorized)
            let message = try jsonObject(refused.body)
            #expect(message["code"] as? Int == 16 && (message["message"] as? String)?.contains("key") == true)

            let form: HTTPFields = [.contentType: "text/plain", .sextantKey: Fixture.spyglassKey]
            #expect(try await post(client, "/v1/traces", Array("{}".utf8), form).status == .unsupportedMediaType)
            #expect((try await client.json("/v1/query/traces")["traces"] as! [Any]).isEmpty)
        }
    }

    @Test func partlyRejectedExportsSayHowManyAndWhy() async throws {
        try await withTestApplication { client in
            let body = """
                {"resourceSpans":[{"scopeSpans":[{"spans":[
                  {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"ok"},
                  {"traceId":"5b8efff798038103d269b633813fc60c","name":"no span id"}]}]}]}
                """
            let response = try await post(client, "/v1/traces", Array(body.utf8), Self.json)
            #expect(response.status == .ok)
            let partial = try jsonObject(response.body)["partialSuccess"] as? [String: Any]
            #expect(partial?["rejectedSpans"] as? String == "1" && (partial?["errorMessage"] as? String)?.contains("spanId") == true)
        }
    }

    @Test func metricsAreReadInBucketsAndBadParametersAreNamed() async throws {
        try await withTestApplication { client in
            let ns = Fixture.baseTs * 1_000_000
            let body = """
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"queue_depth","gauge":{"dataPoints":[
                  {"timeUnixNano":"\(ns)","asInt":"4"},{"timeUnixNano":"\(ns + 30_000_000_000)","asInt":"8"},
                  {"timeUnixNano":"\(ns + 90_000_000_000)","asInt":"1"}]}}]}]}]}
                """
            #expect(try await post(client, "/v1/metrics", Array(body.utf8), Self.json).status == .ok)
            let from = Fixture.baseTs
            let series = try await client.json("/v1/query/metrics?name=queue_depth&interval=minute&from=\(from)&to=\(from + 179_999)")
            let buckets = (series["metric"] as! [String: Any])["buckets"] as! [[String: Any]]
            #expect(buckets.map { $0["value"] as? Double } == [6, 1, nil])
            let names = try await client.json("/v1/query/metrics")["metrics"] as! [[String: Any]]
            #expect(names.map { $0["name"] as? String } == ["queue_depth"] && names.first?["kind"] as? String == "gauge")
            for (query, parameter) in [("interval=fortnight", "interval"), ("interval=1&from=0&to=100000000", "interval"), ("from=x", "from")] {
                let (status, text) = try await client.get("/v1/query/metrics?name=queue_depth&\(query)") { ($0.status, String(buffer: $0.body)) }
                #expect(status == .badRequest && text.contains(parameter), "\(query): \(text)")
            }
        }
    }
}
