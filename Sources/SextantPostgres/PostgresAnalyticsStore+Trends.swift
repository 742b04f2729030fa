import PostgresNIO
import SextantCore

extension PostgresAnalyticsStore {
    /// Without a breakdown from the event index; a breakdown reads URLs and properties, which only the events table has.
    public func trends(_ query: TrendQuery) async throws -> Trends {
        guard let breakdown = query.breakdown else { return try await index.trends(query) }
        let measure = query.measure == .count ? "count(*)" : "count(DISTINCT coalesce(e.user_id, e.session_id))"
        let bucket = Self.bucketExpression(query.interval)
        /// The events of the range; `select` gets the breakdown value's expression and may bind values itself.
        func scoped(_ select: (_ value: String, _ filter: inout PostgresFilter) -> String, event: String? = nil) -> PostgresQueryBuilder {
            var conditions = PostgresFilter()
            let value = Self.breakdownExpression(breakdown, &conditions)
            let selectSQL = select(value, &conditions)
            conditions.time(TimeFilter(projectSlug: query.projectSlug, from: query.from, to: query.to), column: "e.ts")
            conditions.add { "e.name = ANY(\($0(query.events))::text[])" }
            if query.measure == .users { conditions.add { _ in "coalesce(e.user_id, e.session_id) IS NOT NULL" } }
            conditions.equal("e.name", event)
            return conditions.query("SELECT \(selectSQL) FROM events e JOIN projects p ON p.id = e.project_id")
        }
        // The top values of each event by the measure over the whole range, then the buckets
        // with every other value counted together (distinct users are not summable).
        var ranking = scoped { value, _ in "e.name, \(value) AS value, \(measure) AS n" }
        ranking.append(" GROUP BY e.name, value ORDER BY e.name, n DESC, value")
        var byMeasure: [String: [String]] = [:]
        for row in try await database.rows(ranking.query) {
            let (name, value, _) = try row.decode((String, String, Int64).self)
            byMeasure[name, default: []].append(value)
        }
        var ranked: [String: [String]] = [:]
        var rows: [Trends.Row] = []
        for event in query.events {
            let values = byMeasure[event] ?? []
            let top = Array(values.prefix(TrendQuery.topValues))
            ranked[event] = top
            let hasOthers = values.count > top.count
            var buckets = scoped({ value, filter in
                "\(bucket) AS bucket, CASE WHEN \(value) = ANY(\(filter.bind(top))::text[]) THEN \(value) END AS kept, \(measure) AS n"
            }, event: event)
            buckets.append(" GROUP BY bucket, kept")
            for row in try await database.rows(buckets.query) {
                let (bucketStart, kept, value) = try row.decode((Int64, String?, Int64).self)
                guard kept != nil || hasOthers else { continue }
                rows.append(Trends.Row(event: event, bucketStart: bucketStart, breakdownValue: kept, isOther: kept == nil, value: Int(value)))
            }
        }
        return Trends.assemble(query, rows: rows, ranked: ranked)
    }

    /// The bucket start of `e.ts`: UTC hours and days, ISO weeks from Monday (1970-01-01 was a Thursday).
    static func bucketExpression(_ interval: TrendInterval) -> String {
        switch interval {
        case .hour, .day: "(e.ts - e.ts % \(interval.milliseconds))"
        case .week: "((e.ts / 86400000) - ((e.ts / 86400000) + 3) % 7) * 86400000"
        }
    }

    /// The breakdown value as text, `(none)` when absent; a property is read from `props`.
    static func breakdownExpression(_ breakdown: TrendBreakdown, _ filter: inout PostgresFilter) -> String {
        switch breakdown {
        case .type: "e.type"
        case .url: "coalesce(e.url, '\(TrendQuery.noValue)')"
        case .name: "e.name"
        case .property(let key): "coalesce(sextant_json_text(e.props, \(filter.bind(key))), '\(TrendQuery.noValue)')"
        }
    }
}
