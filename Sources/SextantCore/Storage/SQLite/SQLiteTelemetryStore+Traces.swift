import GRDB

extension SQLiteTelemetryStore {
    public func traces(_ filter: TraceFilter) async throws -> [TraceSummary] {
        var conditions = SQLConditions()
        conditions.add("p.slug = ?", filter.time.projectSlug)
        conditions.add("coalesce(s.start_ms, s.received_at) >= ?", filter.time.from)
        conditions.add("coalesce(s.start_ms, s.received_at) <= ?", filter.time.to)
        conditions.add("s.trace_id IN (SELECT trace_id FROM spans WHERE service = ?)", filter.service)
        var having = ""
        var arguments = conditions.arguments
        if let minimum = filter.minimumDurationMs {
            having = "HAVING max(coalesce(s.end_ms, s.start_ms, s.received_at)) - min(coalesce(s.start_ms, s.received_at)) >= ?"
            arguments += [minimum]
        }
        // The root is the span without a parent; traces whose root has not arrived show none.
        let sql = """
            SELECT p.slug, s.trace_id, min(coalesce(s.start_ms, s.received_at)) AS started,
                max(coalesce(s.end_ms, s.start_ms, s.received_at)) AS ended, count(*),
                sum(s.status IN ('error', 'timeout')),
                max(CASE WHEN s.parent_span_id IS NULL THEN coalesce(s.description, s.operation) END),
                max(CASE WHEN s.parent_span_id IS NULL THEN s.service END)
            FROM spans s JOIN projects p ON p.id = s.project_id
            \(conditions.whereClause) GROUP BY s.project_id, s.trace_id \(having)
            ORDER BY started DESC LIMIT \(max(0, filter.limit))
            """
        let bound = arguments
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: bound).map { row in
                let started: Int64 = row[2]
                let ended: Int64 = row[3]
                return TraceSummary(
                    projectSlug: row[0], traceID: row[1], name: row[6], service: row[7], startMs: started,
                    durationMs: Double(ended.subtractingReportingOverflow(started).partialValue), spanCount: row[4], errorCount: row[5] ?? 0)
            }
        }
    }

    public func spans(traceID: String, projectSlug: String?) async throws -> [StoredSpan] {
        var conditions = SQLConditions()
        conditions.add("s.trace_id = ?", traceID)
        conditions.add("p.slug = ?", projectSlug)
        let sql = """
            SELECT p.slug, s.trace_id, s.span_id, s.parent_span_id, s.operation, s.description, s.status, s.duration_ms, s.start_ms,
                s.end_ms, s.service, s.environment, s.tags, s.data
            FROM spans s JOIN projects p ON p.id = s.project_id
            \(conditions.whereClause) ORDER BY coalesce(s.start_ms, s.received_at), s.id LIMIT 10000
            """
        let arguments = conditions.arguments
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                var span = SpanRecord(traceID: row[1], spanID: row[2])
                span.parentSpanID = row[3]
                span.operation = row[4]
                span.description = row[5]
                span.status = row[6]
                span.durationMs = row[7]
                span.startMs = row[8]
                span.endMs = row[9]
                span.service = row[10]
                span.environment = row[11]
                span.tagsJSON = row[12]
                span.dataJSON = row[13]
                return StoredSpan(projectSlug: row[0], span: span)
            }
        }
    }
}
