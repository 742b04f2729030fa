import PostgresNIO
import SextantCore

/// HTTP requests, spans, metric points and database queries: append-only rows, each batch in one
/// `INSERT … SELECT FROM unnest(…)`; and attachments, one row per event, file name and content.
enum PostgresTelemetryRows {
    static func insert(_ batch: HTTPRequestBatch, tx: PostgresTransaction) async throws {
        guard !batch.requests.isEmpty else { return }
        var rows = PostgresBulkRows(types: [
            "bigint", "text", "text", "text", "text", "text", "text", "bigint", "float8", "bigint", "bigint", "text", "text",
        ])
        for request in batch.requests {
            rows[0].append(request.ts)
            rows[1].append(request.traceID)
            rows[2].append(request.direction.rawValue)
            rows[3].append(request.method)
            rows[4].append(request.host)
            rows[5].append(request.path)
            rows[6].append(RoutePath.fold(request.path))
            rows[7].append(request.statusCode)
            rows[8].append(request.durationMs)
            rows[9].append(request.requestSize)
            rows[10].append(request.responseSize)
            rows[11].append(request.userID)
            rows[12].append(request.errorFingerprint)
        }
        try await insert(rows, into: "http_requests", batchColumns: [
            "ts", "trace_id", "direction", "method", "host", "path", "route", "status_code", "duration_ms", "request_size", "response_size",
            "user_id", "error_fingerprint",
        ], projectID: batch.projectID, receivedAt: batch.receivedAt, tx: tx)
    }

    static func insert(_ batch: SpanBatch, tx: PostgresTransaction) async throws {
        guard !batch.spans.isEmpty else { return }
        var rows = PostgresBulkRows(types: [
            "text", "text", "text", "text", "text", "text", "float8", "bigint", "bigint", "text", "text", "text", "text",
        ])
        for span in batch.spans {
            rows[0].append(span.traceID)
            rows[1].append(span.spanID)
            rows[2].append(span.parentSpanID)
            rows[3].append(span.operation)
            rows[4].append(span.description)
            rows[5].append(span.status)
            rows[6].append(span.durationMs)
            rows[7].append(span.startMs)
            rows[8].append(span.endMs)
            rows[9].append(span.service)
            rows[10].append(span.environment)
            rows[11].append(span.tagsJSON)
            rows[12].append(span.dataJSON)
        }
        try await insert(rows, into: "spans", batchColumns: [
            "trace_id", "span_id", "parent_span_id", "operation", "description", "status", "duration_ms", "start_ms", "end_ms", "service",
            "environment", "tags", "data",
        ], projectID: batch.projectID, receivedAt: batch.receivedAt, tx: tx)
    }

    static func insert(_ batch: MetricBatch, tx: PostgresTransaction) async throws {
        guard !batch.points.isEmpty else { return }
        var rows = PostgresBulkRows(types: ["text", "text", "text", "bigint", "float8", "bigint", "float8", "float8", "boolean", "text", "text"])
        for point in batch.points {
            rows[0].append(point.name)
            rows[1].append(point.kind.rawValue)
            rows[2].append(point.unit)
            rows[3].append(point.ts)
            rows[4].append(point.value)
            rows[5].append(point.count)
            rows[6].append(point.min)
            rows[7].append(point.max)
            rows[8].append(point.isCumulative)
            rows[9].append(point.service)
            rows[10].append(point.attributesJSON)
        }
        try await insert(rows, into: "metric_points", batchColumns: [
            "name", "kind", "unit", "ts", "value", "count", "min", "max", "cumulative", "service", "attributes",
        ], projectID: batch.projectID, receivedAt: batch.receivedAt, tx: tx)
    }

    static func insert(_ batch: DatabaseQueryBatch, tx: PostgresTransaction) async throws {
        guard !batch.queries.isEmpty else { return }
        var rows = PostgresBulkRows(types: [
            "bigint", "text", "text", "text", "float8", "boolean", "text", "text", "text", "text", "text", "text", "text", "text", "bigint",
        ])
        for query in batch.queries {
            rows[0].append(query.ts)
            rows[1].append(query.queryHash)
            rows[2].append(query.normalizedQuery)
            rows[3].append(query.queryType)
            rows[4].append(query.durationMs)
            rows[5].append(query.failed)
            rows[6].append(query.errorMessage)
            rows[7].append(query.databaseName)
            rows[8].append(query.databaseType)
            rows[9].append(query.service)
            rows[10].append(query.environment)
            rows[11].append(query.traceID)
            rows[12].append(query.spanID)
            rows[13].append(query.parentSpanID)
            rows[14].append(query.rowsAffected)
        }
        try await insert(rows, into: "db_queries", batchColumns: [
            "ts", "query_hash", "normalized_query", "query_type", "duration_ms", "failed", "error_message", "database_name", "database_type",
            "service", "environment", "trace_id", "span_id", "parent_span_id", "rows_affected",
        ], projectID: batch.projectID, receivedAt: batch.receivedAt, tx: tx)
    }

    /// A retried envelope carries the same file again: one row per event, file name and content.
    static func insert(_ attachment: AttachmentRecord, tx: PostgresTransaction) async throws -> IngestOutcome {
        let inserted = try await tx.count("""
            INSERT INTO attachments (project_id, event_id, filename, content_type, byte_size, sha256, blob_key, received_at)
            VALUES (\(attachment.projectID), \(attachment.eventID), \(attachment.filename), \(attachment.contentType),
                \(Int64(attachment.byteSize)), \(attachment.sha256), \(attachment.blobKey), \(attachment.receivedAt))
            ON CONFLICT DO NOTHING RETURNING 1
            """)
        return inserted == 1 ? .stored : .duplicate
    }

    /// `rows` (named `batchColumns`, in order) into `table`, each with the batch's project and receipt time.
    private static func insert(
        _ rows: PostgresBulkRows, into table: String, batchColumns: [String], projectID: Int64, receivedAt: Int64, tx: PostgresTransaction
    ) async throws {
        var statement = PostgresQueryBuilder()
        let project = statement.bind(projectID)
        let received = statement.bind(receivedAt)
        let columns = batchColumns.joined(separator: ", ")
        statement.append("""
            INSERT INTO \(table) (project_id, received_at, \(columns))
            SELECT \(project), \(received), \(columns) FROM \(rows.unnest(binding: &statement)) AS batch (\(columns))
            """)
        try await tx.execute(statement.query)
    }
}
