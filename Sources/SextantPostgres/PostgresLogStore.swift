import PostgresNIO
import SextantCore

public struct PostgresLogStore: LogStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    public func logs(_ filter: LogFilter) async throws -> [StoredLog] {
        var conditions = PostgresFilter()
        conditions.time(filter.time, column: "l.ts")
        conditions.equal("l.level", filter.level?.rawValue)
        conditions.equal("l.environment", filter.environment)
        conditions.equal("l.user_id", filter.userID)
        conditions.equal("l.trace_id", filter.traceID)
        let words = filter.words.flatMap(LogSearchWords.of)
        if !words.isEmpty {
            // Every word must be one of the log's words (LogSearchWords), as FTS5's quoted terms on SQLite.
            // The words are letters and digits only, so quoting them is all tsquery syntax needs.
            let query = words.map { "'\($0)'" }.joined(separator: " & ")
            conditions.add { "l.search @@ \($0(query))::tsquery" }
        }
        var statement = conditions.query("""
            SELECT l.id, p.slug, l.ts, l.level, l.message, l.environment, l.service, l.metadata, l.error, l.fingerprint,
                l.trace_id, l.span_id, l.parent_span_id, l.request_id, l.user_id, l.source, l.client_project_id
            FROM logs l JOIN projects p ON p.id = l.project_id
            """)
        statement.append(" ORDER BY l.ts DESC, l.id DESC LIMIT \(statement.bind(Int64(max(0, filter.limit))))")
        return try await database.rows(statement.query).map { row in
            let columns = row.makeRandomAccess()
            var record = LogRecord(
                ts: try columns[2].decode(Int64.self), level: LogLevel(rawValue: try columns[3].decode(String.self)) ?? .info,
                message: try columns[4].decode(String.self), source: try columns[15].decode(String.self))
            record.environment = try columns[5].decode(String?.self)
            record.service = try columns[6].decode(String?.self)
            record.metadataJSON = try columns[7].decode(String?.self)
            record.errorJSON = try columns[8].decode(String?.self)
            record.fingerprint = try columns[9].decode(String?.self)
            record.traceID = try columns[10].decode(String?.self)
            record.spanID = try columns[11].decode(String?.self)
            record.parentSpanID = try columns[12].decode(String?.self)
            record.requestID = try columns[13].decode(String?.self)
            record.userID = try columns[14].decode(String?.self)
            record.clientProjectID = try columns[16].decode(String?.self)
            return StoredLog(id: try columns[0].decode(Int64.self), projectSlug: try columns[1].decode(String.self), record: record)
        }
    }
}
