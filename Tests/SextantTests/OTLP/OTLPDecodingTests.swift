import Foundation
@testable import SextantCore
import Testing

/// OTLP exports in both encodings as Sextant's records (issue 13), without a server.
@Suite struct OTLPDecodingTests {
    static let traceHex = "5b8efff798038103d269b633813fc60c"
    static let spanHex = "eee19b7ec3c1b174"

    static func bytes(hex: String) -> Data {
        Data(stride(from: 0, to: hex.count, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! })
    }

    static func attribute(_ key: String, _ value: String) -> OTLPKeyValue {
        var attribute = OTLPKeyValue()
        attribute.key = key
        attribute.value.stringValue = value
        return attribute
    }

    static var resource: OTLPResource {
        var resource = OTLPResource()
        resource.attributes = [attribute("service.name", "checkout"), attribute("deployment.environment.name", "prod"), attribute("host.name", "web-1")]
        return resource
    }

    @Test func protobufSpansKeepIdsAsHexAndExceptionEventsBecomeErrors() throws {
        var span = OTLPSpan()
        span.traceID = Self.bytes(hex: Self.traceHex)
        span.spanID = Self.bytes(hex: Self.spanHex)
        span.name = "GET /cart"
        span.kind = .server
        span.startTimeUnixNano = 1_781_395_200_000_000_000
        span.endTimeUnixNano = 1_781_395_200_012_500_000
        span.attributes = [Self.attribute("http.request.method", "GET")]
        span.status.code = .error
        var exception = OTLPSpan.Event()
        exception.name = "exception"
        exception.timeUnixNano = 1_781_395_200_010_000_000
        exception.attributes = [Self.attribute("exception.type", "KeyError"), Self.attribute("exception.message", "'sku'"),
                                Self.attribute("exception.stacktrace", "Traceback (most recent call last):\n  File \"/app/cart.py\", line 3, in load\nKeyError: 'sku'")]
        span.events = [exception]
        var request = OTLPExportTraceServiceRequest()
        var resourceSpans = OTLPResourceSpans()
        resourceSpans.resource = Self.resource
        var scope = OTLPScopeSpans()
        scope.spans = [span]
        resourceSpans.scopeSpans = [scope]
        request.resourceSpans = [resourceSpans]

        let export = try OTLPTracesExport.decode(try request.serializedBytes(), encoding: .protobuf, now: 0)
        let record = try #require(export.spans.first)
        #expect(record.traceID == Self.traceHex && record.spanID == Self.spanHex && record.parentSpanID == nil)
        #expect(record.operation == "http.server" && record.status == "error" && record.durationMs == 12.5 && record.startMs == 1_781_395_200_000)
        #expect(record.service == "checkout" && record.environment == "prod")
        let error = try #require(export.errors.first)
        #expect(error.type == .error && error.name == "KeyError" && error.ts == 1_781_395_200_010)
        let props = try JSONValue.parse(try #require(error.propsJSON))
        #expect(props["traceId"]?.stringValue == Self.traceHex && props["message"]?.stringValue == "'sku'")
        #expect(props["stack"]?.arrayValue?.contains { $0.stringValue?.contains("cart.py") == true } == true)
        #expect(export.rejected.count == 0)
    }

    @Test func jsonLogsTakeHexIdsSeverityAndExceptionAttributes() throws {
        let body = """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"billing"}}]},
             "scopeLogs":[{"scope":{"name":"app.payments"},"logRecords":[
              {"timeUnixNano":"1781395200000000000","severityNumber":17,"body":{"stringValue":"charge failed"},
               "traceId":"\(Self.traceHex)","spanId":"\(Self.spanHex)","futureField":true,
               "attributes":[{"key":"exception.type","value":{"stringValue":"CardError"}},{"key":"amount","value":{"doubleValue":12.5}},
                             {"key":"enduser.id","value":{"stringValue":"u-1"}}]},
              {"observedTimeUnixNano":"1781395201000000000","severityText":"WARNING","body":{"kvlistValue":{"values":[{"key":"a","value":{"intValue":"1"}}]}}}
             ]}]}]}
            """
        let export = try OTLPLogsExport.decode(Array(body.utf8), encoding: .json, now: 0)
        #expect(export.records.count == 2)
        let failed = export.records[0]
        #expect(failed.level == .error && failed.message == "charge failed" && failed.service == "billing" && failed.source == "otlp")
        #expect(failed.traceID == Self.traceHex && failed.spanID == Self.spanHex && failed.userID == "u-1" && failed.ts == 1_781_395_200_000)
        #expect(failed.loggedError?.type == "CardError")
        let metadata = try JSONValue.parse(try #require(failed.metadataJSON))
        #expect(metadata["amount"]?.numberValue == 12.5 && metadata["otel.scope"]?.stringValue == "app.payments" && metadata["exception.type"] == nil)
        #expect(export.records[1].level == .warn && export.records[1].ts == 1_781_395_201_000 && export.records[1].message == #"{"a":1}"#)
    }

    @Test func metricsKeepGaugesSumsAndHistogramsAndRejectTheRest() throws {
        let body = """
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[
              {"name":"orders","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
                {"timeUnixNano":"1781395200000000000","asInt":"4","attributes":[{"key":"region","value":{"stringValue":"eu"}}]}]}},
              {"name":"latency","unit":"ms","histogram":{"aggregationTemporality":1,"dataPoints":[
                {"timeUnixNano":"1781395200000000000","count":"3","sum":90,"min":12,"max":48,"bucketCounts":["1","2"],"explicitBounds":[20]}]}},
              {"name":"load","gauge":{"dataPoints":[{"timeUnixNano":"1781395200000000000","asDouble":0.5}]}},
              {"name":"sizes","summary":{"dataPoints":[{"count":"1"}]}},
              {"name":"","gauge":{"dataPoints":[]}}
            ]}]}]}
            """
        let export = try OTLPMetricsExport.decode(Array(body.utf8), encoding: .json, now: 0)
        #expect(export.points.map(\.name) == ["orders", "latency", "load"])
        #expect(export.points[0].kind == .sum && export.points[0].isCumulative && export.points[0].value == 4
                && export.points[0].attributesJSON == #"{"region":"eu"}"#)
        #expect(export.points[1].kind == .histogram && !export.points[1].isCumulative && export.points[1].count == 3
                && export.points[1].value == 90 && export.points[1].min == 12 && export.points[1].max == 48 && export.points[1].unit == "ms")
        #expect(export.points[2].kind == .gauge && export.points[2].value == 0.5)
        #expect(export.rejected.count == 2 && export.rejected.message.contains("sizes"))
    }

    @Test func integersBeyondADoublesPrecisionKeepEveryDigit() {
        var value = OTLPAnyValue()
        for (number, expected) in [(Int64.min, JSONValue.string("-9223372036854775808")), (Int64.max, .string("9223372036854775807")),
                                   (-42, .number(-42))] {
            value.intValue = number
            #expect(value.json == expected)
        }
    }

    @Test func undecodableBodiesAreRefused() {
        #expect(throws: OTLPDecodingError.self) { try OTLPTracesExport.decode([0x0a, 0xff, 0xff, 0xff], encoding: .protobuf, now: 0) }
        #expect(throws: OTLPDecodingError.self) { try OTLPLogsExport.decode(Array("[1,2]".utf8), encoding: .json, now: 0) }
        #expect(throws: OTLPDecodingError.self) { try OTLPMetricsExport.decode(Array(#"{"resourceMetrics":"x"}"#.utf8), encoding: .json, now: 0) }
    }

    @Test func theLogsRouteTellsOTLPFromLuminaLog() {
        #expect(OTLPResponse.isLogsExport(json: Array(#"{"resourceLogs":[]}"#.utf8)))
        #expect(!OTLPResponse.isLogsExport(json: Array(#"{"api_key":"k","logs":[{"resourceLogs":1}]}"#.utf8)))
        #expect(!OTLPResponse.isLogsExport(json: Array("not json".utf8)))
    }
}
