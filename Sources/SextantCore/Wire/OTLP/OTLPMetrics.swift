/// `POST /v1/metrics` in OTLP as metric points: gauges, sums (delta or cumulative) and explicit
/// histograms, each point with its attributes and the resource's service. Exponential histograms
/// and summaries are not kept: their points count as rejected.
public struct OTLPMetricsExport: Sendable {
    public var points: [MetricPoint] = []
    public var rejected = OTLPRejections()

    /// Metric names are keys people type into a query: bounded like an event name.
    static let maximumNameLength = 255

    public static func decode(_ bytes: [UInt8], encoding: OTLPEncoding, now: Int64) throws -> OTLPMetricsExport {
        let request = try encoding.decode(OTLPExportMetricsServiceRequest.self, from: bytes)
        var export = OTLPMetricsExport()
        for resourceMetrics in request.resourceMetrics {
            let resource = OTLPResourceContext(resourceMetrics.hasResource ? resourceMetrics.resource : nil)
            for scopeMetrics in resourceMetrics.scopeMetrics {
                for metric in scopeMetrics.metrics {
                    export.add(metric, service: resource.service, now: now)
                }
            }
        }
        return export
    }

    mutating func add(_ metric: OTLPMetric, service: String?, now: Int64) {
        guard !metric.name.isEmpty, metric.name.utf8.count <= Self.maximumNameLength else {
            rejected.reject("a metric name must be 1 to \(Self.maximumNameLength) bytes")
            return
        }
        switch metric.data {
        case .gauge(let gauge)?:
            for point in gauge.dataPoints { add(number: point, metric: metric, kind: .gauge, cumulative: false, service: service, now: now) }
        case .sum(let sum)?:
            let cumulative = sum.aggregationTemporality == .cumulative
            for point in sum.dataPoints { add(number: point, metric: metric, kind: .sum, cumulative: cumulative, service: service, now: now) }
        case .histogram(let histogram)?:
            let cumulative = histogram.aggregationTemporality == .cumulative
            for point in histogram.dataPoints { add(histogram: point, metric: metric, cumulative: cumulative, service: service, now: now) }
        case nil:
            rejected.reject("metric \(metric.name): only gauge, sum and histogram metrics are kept")
        }
    }

    private mutating func add(
        number point: OTLPNumberDataPoint, metric: OTLPMetric, kind: MetricKind, cumulative: Bool, service: String?, now: Int64
    ) {
        let value: Double
        switch point.value {
        case .asDouble(let number)?: value = number
        case .asInt(let number)?: value = Double(number)
        case nil:
            rejected.reject("metric \(metric.name): a data point has no value")
            return
        }
        guard value.isFinite else {
            rejected.reject("metric \(metric.name): values must be finite")
            return
        }
        guard let ts = timestamp(point.timeUnixNano, metric: metric, now: now) else { return }
        append(MetricPoint(name: metric.name, kind: kind, ts: ts, value: value, isCumulative: cumulative), metric: metric, service: service,
               attributes: point.attributes)
    }

    private mutating func add(histogram point: OTLPHistogramDataPoint, metric: OTLPMetric, cumulative: Bool, service: String?, now: Int64) {
        let sum = point.hasSum ? point.sum : 0
        guard sum.isFinite, !point.hasMin || point.min.isFinite, !point.hasMax || point.max.isFinite else {
            rejected.reject("metric \(metric.name): values must be finite")
            return
        }
        guard point.count <= UInt64(WireRange.size.upperBound) else {
            rejected.reject("metric \(metric.name): a count must be at most \(WireRange.size.upperBound)")
            return
        }
        guard let ts = timestamp(point.timeUnixNano, metric: metric, now: now) else { return }
        var record = MetricPoint(name: metric.name, kind: .histogram, ts: ts, value: sum, isCumulative: cumulative)
        record.count = Int64(point.count)
        record.min = point.hasMin ? point.min : nil
        record.max = point.hasMax ? point.max : nil
        append(record, metric: metric, service: service, attributes: point.attributes)
    }

    /// What every point of a metric shares: its unit, the resource's service, and its attributes.
    private mutating func append(_ point: MetricPoint, metric: OTLPMetric, service: String?, attributes: [OTLPKeyValue]) {
        var point = point
        point.unit = metric.unit.isEmpty ? nil : metric.unit
        point.service = service
        point.attributesJSON = Self.attributes(attributes)
        points.append(point)
    }

    private mutating func timestamp(_ nanoseconds: UInt64, metric: OTLPMetric, now: Int64) -> Int64? {
        guard nanoseconds > 0 else { return now }
        guard let ts = OTLPTime.milliseconds(nanoseconds) else {
            rejected.reject("metric \(metric.name): timeUnixNano is after the year 9999")
            return nil
        }
        return ts
    }

    static func attributes(_ attributes: [OTLPKeyValue]) -> String? {
        let object = attributes.jsonObject
        return object.isEmpty ? nil : JSONValue.object(object).jsonText
    }
}
