import GRDB

extension SQLiteAnalyticsStore {
    /// Without a breakdown from the event index; a breakdown reads URLs and properties, which only the events table has.
    public func trends(_ query: TrendQuery) async throws -> Trends {
        guard let breakdown = query.breakdown else { return try await index.trends(query) }
        var conditions = SQLConditions()
        conditions.add(time: TimeFilter(projectSlug: query.projectSlug, from: query.from, to: query.to), column: "e.ts")
        conditions.add("e.name IN (SELECT value FROM json_each(?))", StoredList.encode(query.events))
        if query.measure == .users { conditions.add("coalesce(e.user_id, e.session_id) IS NOT NULL") }
        let measure = query.measure == .count ? "COUNT(*)" : "COUNT(DISTINCT coalesce(e.user_id, e.session_id))"
        let bucket = Self.bucketExpression(query.interval)
        let scope = "FROM events e JOIN projects p ON p.id = e.project_id \(conditions.whereClause)"
        let arguments = conditions.arguments
        let (valueSQL, valueArguments) = Self.breakdownExpression(breakdown)
        return try await database.read { db in
            // The top values of each event by the measure over the whole range, then the buckets
            // with every other value counted together (distinct users are not summable).
            var byMeasure: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT e.name, \(valueSQL) AS value, \(measure) AS n \(scope) GROUP BY e.name, value ORDER BY e.name, n DESC, value
                """, arguments: valueArguments + arguments) {
                byMeasure[row[0] as String, default: []].append(row[1])
            }
            var ranked: [String: [String]] = [:]
            var rows: [Trends.Row] = []
            for event in query.events {
                let values = byMeasure[event] ?? []
                let top = Array(values.prefix(TrendQuery.topValues))
                ranked[event] = top
                let hasOthers = values.count > top.count
                var eventArguments = valueArguments
                eventArguments += [StoredList.encode(top)]
                eventArguments += valueArguments
                eventArguments += arguments
                eventArguments += [event]
                for row in try Row.fetchAll(db, sql: """
                    SELECT \(bucket) AS bucket, CASE WHEN \(valueSQL) IN (SELECT value FROM json_each(?)) THEN \(valueSQL) END AS kept, \(measure)
                    \(scope) AND e.name = ? GROUP BY bucket, kept
                    """, arguments: eventArguments) {
                    let kept: String? = row[1]
                    guard kept != nil || hasOthers else { continue }
                    rows.append(Trends.Row(event: event, bucketStart: row[0], breakdownValue: kept, isOther: kept == nil, value: row[2]))
                }
            }
            return Trends.assemble(query, rows: rows, ranked: ranked)
        }
    }

    /// The bucket start of `e.ts`: UTC hours and days, ISO weeks from Monday (1970-01-01 was a Thursday).
    static func bucketExpression(_ interval: TrendInterval) -> String {
        switch interval {
        case .hour, .day: "(e.ts - e.ts % \(interval.milliseconds))"
        case .week: "((e.ts / 86400000) - ((e.ts / 86400000) + 3) % 7) * 86400000"
        }
    }

    /// The breakdown value as text, `(none)` when absent; a property is read from `props`.
    static func breakdownExpression(_ breakdown: TrendBreakdown) -> (String, StatementArguments) {
        switch breakdown {
        case .type: ("e.type", [])
        case .url: ("coalesce(e.url, '\(TrendQuery.noValue)')", [])
        case .name: ("e.name", [])
        case .property(let key):
            ("coalesce(CAST(json_extract(CASE WHEN json_valid(e.props) THEN e.props END, ?) AS TEXT), '\(TrendQuery.noValue)')",
             ["$.\"" + key.replacingOccurrences(of: "\"", with: "\\\"") + "\""])
        }
    }
}
