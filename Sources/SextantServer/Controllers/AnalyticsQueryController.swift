import Hummingbird
import SextantCore

/// Product analytics beyond the spyglass reads: trends, retention and paths (issue 11). Each
/// takes `app`, `from` and `to` (Unix ms or ISO 8601 dates) and answers 400 naming a bad parameter.
struct AnalyticsQueryController {
    let analytics: any AnalyticsStore
    let clock: WallClock

    func register(in reads: RouterGroup<AppRequestContext>) {
        reads.get("/query/trends", use: trends)
        reads.get("/query/retention", use: retention)
        reads.get("/query/paths", use: paths)
    }

    @Sendable func trends(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let events = query.list("event")
        guard !events.isEmpty else { throw APIError.badRequest("event needs one or more comma-separated event names") }
        guard events.count <= 10 else { throw APIError.badRequest("event takes at most 10 event names") }
        let interval = try Self.choice(query, "interval", default: TrendInterval.day)
        let measure = try Self.choice(query, "measure", default: TrendMeasure.count)
        var breakdown: TrendBreakdown?
        if let text = query.string("breakdown") {
            guard let parsed = TrendBreakdown(text) else { throw APIError.badRequest("breakdown must be type, url, name or props.KEY") }
            breakdown = parsed
        }
        let (from, to) = try query.range(defaultSpan: interval == .hour ? 86_400_000 : interval == .day ? 7 * 86_400_000 : 12 * 604_800_000,
                                         now: clock.nowMilliseconds())
        try QueryParameters.checkBucketCount(interval.bucketCount(from: from, to: to))
        let trends = try await analytics.trends(TrendQuery(
            projectSlug: query.string("app"), events: events, from: from, to: to, interval: interval, measure: measure, breakdown: breakdown))
        return .jsonObject { writer in
            writer.key("interval"); writer.string(interval.rawValue)
            writer.key("measure"); writer.string(measure.rawValue)
            writer.key("from"); writer.integer(from)
            writer.key("to"); writer.integer(to)
            writer.key("buckets"); writer.beginArray()
            for start in trends.bucketStarts { writer.integer(start) }
            writer.endArray()
            writer.key("series"); writer.beginArray()
            for series in trends.series {
                writer.beginObject()
                writer.key("event"); writer.string(series.event)
                if breakdown != nil {
                    writer.key("breakdown_value"); writer.string(series.breakdownValue)
                    writer.key("is_other"); writer.bool(series.isOther)
                }
                writer.key("values"); writer.beginArray()
                for value in series.values { writer.integer(value) }
                writer.endArray()
                // Distinct users of a range are not the sum of its buckets' distinct users.
                if measure == .count { writer.key("total"); writer.integer(series.total) }
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func retention(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        guard let startEvent = query.string("start_event") else { throw APIError.badRequest("start_event is required") }
        guard let returnEvent = query.string("return_event") else { throw APIError.badRequest("return_event is required") }
        let period = try Self.choice(query, "period", default: TrendInterval.day, allowed: [.day, .week])
        let periods = Int(try query.integer("periods", in: 1...90) ?? 8)
        let (from, to) = try query.range(defaultSpan: Int64(periods) * period.milliseconds - 1, now: clock.nowMilliseconds())
        guard period.bucketCount(from: from, to: to) <= 400 else { throw APIError.badRequest("from..to holds more than 400 cohorts: choose a wider period") }
        let cohorts = try await analytics.retention(RetentionQuery(
            projectSlug: query.string("app"), startEvent: startEvent, returnEvent: returnEvent, period: period, periods: periods, from: from, to: to))
        return .jsonObject { writer in
            writer.key("period"); writer.string(period.rawValue)
            writer.key("periods"); writer.integer(periods)
            writer.key("cohorts"); writer.beginArray()
            for cohort in cohorts {
                writer.beginObject()
                writer.key("start"); writer.integer(cohort.start)
                writer.key("date"); writer.string(UTCDay.string(fromMilliseconds: cohort.start))
                writer.key("size"); writer.integer(cohort.size)
                writer.key("returning"); writer.beginArray()
                for count in cohort.returning { writer.integer(count) }
                writer.endArray()
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func paths(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        guard let start = query.string("start") else { throw APIError.badRequest("start is required: the event paths begin with") }
        let steps = Int(try query.integer("steps", in: 1...10) ?? 3)
        let time = try query.timeFilter()
        let answer = try await analytics.paths(PathQuery(
            projectSlug: time.projectSlug, start: start, steps: steps, from: time.from, to: time.to, limit: try query.limit(default: 20, maximum: 200)))
        return .jsonObject { writer in
            writer.key("start"); writer.string(start)
            writer.key("starts"); writer.integer(answer.starts)
            writer.key("paths"); writer.beginArray()
            for path in answer.paths {
                writer.beginObject()
                writer.key("steps"); writer.beginArray()
                for step in path.steps { writer.string(step) }
                writer.endArray()
                writer.key("count"); writer.integer(path.count)
                writer.endObject()
            }
            writer.endArray()
        }
    }

    static func choice<Value: RawRepresentable & CaseIterable>(
        _ query: QueryParameters, _ name: String, default value: Value, allowed: [Value]? = nil
    ) throws -> Value where Value.RawValue == String {
        guard let text = query.string(name) else { return value }
        let options = allowed ?? Array(Value.allCases)
        guard let parsed = Value(rawValue: text), options.contains(where: { $0.rawValue == parsed.rawValue }) else {
            throw APIError.badRequest("\(name) must be one of \(options.map(\.rawValue).joined(separator: ", "))")
        }
        return parsed
    }
}
