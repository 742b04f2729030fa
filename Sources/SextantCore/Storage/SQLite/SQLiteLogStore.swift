import GRDB

public struct SQLiteLogStore: LogStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func logs(_ filter: LogFilter) async throws -> [StoredLog] {
        var conditions = SQLConditions()
        conditions.add(time: filter.time, column: "l.ts")
        conditions.add("l.level = ?", filter.level?.rawValue)
        conditions.add("l.environment = ?", filter.environment)
        conditions.add("l.user_id = ?", filter.userID)
        conditions.add("l.trace_id = ?", filter.traceID)
        if !filter.words.isEmpty {
            // Each word is quoted, so punctuation and FTS operators in a query are never syntax.
            let match = filter.words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " ")
            conditions.add("l.id IN (SELECT rowid FROM logs_search WHERE logs_search MATCH ?)", match)
        }
        let sql = """
            SELECT l.id, p.slug, l.ts, l.level, l.message, l.environment, l.service, l.metadata, l.error, l.fingerprint,
                l.trace_id, l.span_id, l.parent_span_id, l.request_id, l.user_id, l.source, l.client_project_id
            FROM logs l JOIN projects p ON p.id = l.project_id
            \(conditions.whereClause) ORDER BY l.ts DESC, l.id DESC LIMIT \(max(0, filter.limit))
            """
        let arguments = conditions.arguments
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                var record = LogRecord(ts: row[2], level: LogLevel(rawValue: row[3]) ?? .info, message: row[4], source: row[15])
                record.environment = row[5]
                record.service = row[6]
                record.metadataJSON = row[7]
                record.errorJSON = row[8]
                record.fingerprint = row[9]
                record.traceID = row[10]
                record.spanID = row[11]
                record.parentSpanID = row[12]
                record.requestID = row[13]
                record.userID = row[14]
                record.clientProjectID = row[16]
                return StoredLog(id: row[0], projectSlug: row[1], record: record)
            }
        }
    }
}
