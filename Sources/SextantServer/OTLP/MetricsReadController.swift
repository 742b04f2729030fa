import Hummingbird
import SextantCore

/// `GET /v1/query/metrics`: without `name`, the metrics reported in the range; with it, that
/// metric in buckets of `interval` (`minute`, `hour`, `day`, `week` or seconds), every bucket present.
struct MetricsReadController {
    let telemetry: any TelemetryStore
    let clock: WallClock

    func register(in reads: RouterGroup<AppRequestContext>) {
        reads.get("/query/metrics", use: query)
    }

    @Sendable func query(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        var filter = MetricFilter()
        filter.time = try query.timeFilter()
        guard let name = query.string("name") else {
            let names = try await telemetry.metricNames(filter)
            return .jsonObject { writer in Self.write(names: names, into: &writer) }
        }
        filter.name = name
        let (from, to) = try query.range(defaultSpan: 86_400_000, now: clock.nowMilliseconds())
        let intervalMs = try Self.intervalMs(query.string("interval"), from: from, to: to)
        filter.time.from = from
        filter.time.to = to
        let series = MetricSeries.aggregate(try await telemetry.metricPoints(filter), name: name, from: from, to: to, intervalMs: intervalMs)
        return .jsonObject { writer in Self.write(series, from: from, to: to, into: &writer) }
    }

    static func intervalMs(_ text: String?, from: Int64, to: Int64) throws -> Int64 {
        let named: [String: Int64] = ["minute": 60_000, "hour": 3_600_000, "day": 86_400_000, "week": 604_800_000]
        let intervalMs: Int64
        if let text {
            if let width = named[text] {
                intervalMs = width
            } else if let seconds = Int64(text), (1...31_536_000).contains(seconds) {
                intervalMs = seconds * 1000
            } else {
                throw APIError.badRequest("interval must be minute, hour, day, week or a number of seconds from 1 to 31536000")
            }
        } else {
            intervalMs = MetricSeries.defaultIntervalMs(from: from, to: to)
        }
        try QueryParameters.checkBucketCount(MetricSeries.bucketCount(from: from, to: to, intervalMs: intervalMs))
        return intervalMs
    }

    static func write(names: [MetricName], into writer: inout JSONWriter) {
        writer.key("metrics")
        writer.beginArray()
        for metric in names {
            writer.beginObject()
            writer.key("name"); writer.string(metric.name)
            writer.key("kind"); writer.string(metric.kind.rawValue)
            writer.key("unit"); writer.string(metric.unit)
            writer.key("points"); writer.integer(metric.points)
            writer.key("last_seen"); writer.integer(metric.lastSeen)
            writer.endObject()
        }
        writer.endArray()
    }

    static func write(_ series: MetricSeries, from: Int64, to: Int64, into writer: inout JSONWriter) {
        writer.key("metric")
        writer.beginObject()
        writer.key("name"); writer.string(series.name)
        writer.key("kind"); writer.string(series.kind?.rawValue)
        writer.key("unit"); writer.string(series.unit)
        writer.key("from"); writer.integer(from)
        writer.key("to"); writer.integer(to)
        writer.key("interval_ms"); writer.integer(series.intervalMs)
        writer.key("buckets")
        writer.beginArray()
        for bucket in series.buckets {
            writer.beginObject()
            writer.key("ts"); writer.integer(bucket.start)
            writer.key("points"); writer.integer(bucket.points)
            writer.key("value"); writer.number(bucket.value)
            writer.key("min"); writer.number(bucket.min)
            writer.key("max"); writer.number(bucket.max)
            if series.kind == .histogram {
                writer.key("count"); writer.number(bucket.count)
                writer.key("sum"); writer.number(bucket.sum)
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }
}
