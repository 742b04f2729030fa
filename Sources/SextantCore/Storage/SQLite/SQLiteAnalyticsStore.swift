import GRDB

/// Events, sessions, users and replay chunks from SQL; funnels, retention, paths, trends and the
/// aggregates from the event index kept over the events table.
public struct SQLiteAnalyticsStore: AnalyticsStore {
    let database: DatabasePool
    let index: EventIndex

    public init(database: DatabasePool, index: EventIndex) {
        self.database = database
        self.index = index
    }

    private static let eventColumns = "e.id, e.ts, e.type, e.name, e.user_id, e.session_id, e.url, e.props, p.slug"

    public func events(_ filter: EventFilter) async throws -> [StoredEvent] {
        var filter = filter
        if let sessionID = filter.sessionID {
            // No session index: the session's own time span bounds the scan of the time index.
            guard let span = try await sessionSpan(sessionID, projectSlug: filter.time.projectSlug) else { return [] }
            filter.time.from = max(filter.time.from ?? .min, span.lowerBound)
            filter.time.to = min(filter.time.to ?? .max, span.upperBound)
        }
        var conditions = SQLConditions()
        conditions.add(time: filter.time, column: "e.ts")
        conditions.add("e.user_id = ?", filter.userID)
        conditions.add("e.session_id = ?", filter.sessionID)
        conditions.add("e.type = ?", filter.type?.rawValue)
        conditions.add("e.name = ?", filter.name)
        conditions.add("instr(lower(e.name), lower(?)) > 0", filter.nameContains)
        if let property = filter.property {
            // The key is checked to be a plain name, so the quoted JSON path cannot be anything else.
            conditions.add("CAST(json_extract(e.props, '$.\"\(property.key)\"') AS TEXT) = ?", property.value)
        }
        // The expression and the type test are those of the partial index `events_error_trace`.
        conditions.add("e.type = 'error' AND json_extract(e.props, '$.traceId') = ?", filter.errorTraceID)
        let sql = """
            SELECT \(Self.eventColumns) FROM events e JOIN projects p ON p.id = e.project_id
            \(conditions.whereClause) ORDER BY e.ts DESC, e.id DESC LIMIT \(max(0, filter.limit))
            """
        let arguments = conditions.arguments
        return try await database.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.storedEvent) }
    }

    /// Earliest start and latest activity of every session with this id.
    private func sessionSpan(_ sessionID: String, projectSlug: String?) async throws -> ClosedRange<Int64>? {
        try await database.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT min(s.started_at), max(s.last_seen) FROM sessions s JOIN projects p ON p.id = s.project_id
                WHERE s.session_id = ? AND (?2 IS NULL OR p.slug = ?2)
                """, arguments: [sessionID, projectSlug])
            guard let row, let from: Int64 = row[0], let to: Int64 = row[1], from <= to else { return nil }
            return from...to
        }
    }

    public func event(id: Int64) async throws -> StoredEvent? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.eventColumns) FROM events e JOIN projects p ON p.id = e.project_id WHERE e.id = ?",
                             arguments: [id]).map(Self.storedEvent)
        }
    }

    public func sessionEvents(projectID: Int64, sessionID: String, from: Int64, to: Int64) async throws -> [StoredEvent] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.eventColumns) FROM events e JOIN projects p ON p.id = e.project_id
                WHERE e.session_id = ? AND e.ts BETWEEN ? AND ? AND e.project_id = ? ORDER BY e.ts, e.id
                """, arguments: [sessionID, from, to, projectID]).map(Self.storedEvent)
        }
    }

    static func storedEvent(_ row: Row) -> StoredEvent {
        StoredEvent(
            id: row[0], projectSlug: row[8],
            event: IngestEvent(
                ts: row[1], type: EventType(rawValue: row[2]) ?? .event, name: row[3], userID: row[4],
                sessionID: row[5], url: row[6], propsJSON: row[7]))
    }

    public func users(_ filter: ListFilter) async throws -> [UserSummary] {
        var conditions = SQLConditions()
        conditions.add("p.slug = ?", filter.projectSlug)
        conditions.add("u.user_id = ?", filter.userID)
        conditions.add("u.last_seen >= ?", filter.from)
        conditions.add("u.first_seen <= ?", filter.to)
        let sql = """
            SELECT u.user_id, p.slug, u.first_seen, u.last_seen, u.session_count, u.properties FROM users u JOIN projects p ON p.id = u.project_id
            \(conditions.whereClause) ORDER BY u.last_seen DESC, u.user_id LIMIT \(max(0, filter.limit))
            """
        let arguments = conditions.arguments
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                UserSummary(userID: $0[0], projectSlug: $0[1], firstSeen: $0[2], lastSeen: $0[3], sessionCount: $0[4], propertiesJSON: $0[5])
            }
        }
    }

    private static let sessionColumns = """
        s.project_id, p.slug, s.session_id, s.user_id, s.started_at, s.last_seen, s.event_count, s.error_count,
        s.chunk_count, s.entry_url, s.browser, s.os, s.device
        """

    public func sessions(_ filter: ListFilter) async throws -> [SessionSummary] {
        var conditions = SQLConditions()
        conditions.add("p.slug = ?", filter.projectSlug)
        conditions.add("s.user_id = ?", filter.userID)
        conditions.add("s.last_seen >= ?", filter.from)
        conditions.add("s.started_at <= ?", filter.to)
        let wanted = filter.session
        if let hasReplay = wanted.hasReplay { conditions.add(hasReplay ? "s.chunk_count > 0" : "s.chunk_count = 0") }
        if let hasErrors = wanted.hasErrors { conditions.add(hasErrors ? "s.error_count > 0" : "s.error_count = 0") }
        conditions.add("s.last_seen - s.started_at >= ?", wanted.minDurationMs)
        conditions.add("s.device = ?", wanted.device?.rawValue)
        conditions.add("lower(s.browser) = lower(?)", wanted.browser)
        conditions.add("""
            EXISTS (SELECT 1 FROM events e WHERE e.session_id = s.session_id AND e.project_id = s.project_id
                    AND instr(lower(e.url), lower(?)) > 0)
            """, wanted.urlContains)
        let sql = """
            SELECT \(Self.sessionColumns) FROM sessions s JOIN projects p ON p.id = s.project_id
            \(conditions.whereClause) ORDER BY s.last_seen DESC, s.session_id LIMIT \(max(0, filter.limit))
            """
        let arguments = conditions.arguments
        return try await database.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.sessionSummary) }
    }

    public func session(id: String, projectSlug: String?) async throws -> SessionSummary? {
        var conditions = SQLConditions()
        conditions.add("s.session_id = ?", id)
        conditions.add("p.slug = ?", projectSlug)
        let sql = """
            SELECT \(Self.sessionColumns) FROM sessions s JOIN projects p ON p.id = s.project_id
            \(conditions.whereClause) ORDER BY s.last_seen DESC LIMIT 1
            """
        let arguments = conditions.arguments
        return try await database.read { db in try Row.fetchOne(db, sql: sql, arguments: arguments).map(Self.sessionSummary) }
    }

    static func sessionSummary(_ row: Row) -> SessionSummary {
        SessionSummary(
            projectID: row[0], projectSlug: row[1], sessionID: row[2], userID: row[3], startedAt: row[4], lastSeen: row[5],
            eventCount: row[6], errorCount: row[7], chunkCount: row[8], entryURL: row[9],
            device: (row[10] as String?).map { DeviceInfo(browser: $0, os: row[11] ?? "Other", device: DeviceInfo.Kind(rawValue: row[12] ?? "") ?? .desktop) })
    }

    public func funnel(steps: [String], filter: TimeFilter, windowMs: Int64?) async throws -> [Int] {
        try await index.funnel(steps: steps, filter: filter, windowMs: windowMs, dropoff: nil).counts
    }

    public func funnelReport(steps: [String], filter: TimeFilter, windowMs: Int64?, dropoff: FunnelDropoffQuery?) async throws -> FunnelReport {
        try await index.funnel(steps: steps, filter: filter, windowMs: windowMs, dropoff: dropoff)
    }

    /// The errors of every source come from the per-day occurrence counters of issue grouping,
    /// by whole UTC days: every day of the range, or from the first error's day to the last's.
    public func aggregates(filter: TimeFilter, limit: Int) async throws -> Aggregates {
        var result = try await index.aggregates(filter: filter, limit: limit)
        let day = UTCDay.millisecondsPerDay
        var conditions = SQLConditions()
        conditions.add("o.kind = 'error'")
        conditions.add("p.slug = ?", filter.projectSlug)
        conditions.add("o.day >= ?", filter.from.map { $0 / day })
        conditions.add("o.day <= ?", filter.to.map { $0 / day })
        let sql = "SELECT o.day, sum(o.count) FROM occurrence_days o JOIN projects p ON p.id = o.project_id \(conditions.whereClause) GROUP BY o.day"
        let arguments = conditions.arguments
        let counts = try await database.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: sql, arguments: arguments).map { ($0[0] as Int64, $0[1] as Int) })
        }
        if let first = filter.from.map({ $0 / day }) ?? counts.keys.min(), let last = filter.to.map({ $0 / day }) ?? counts.keys.max() {
            result.allErrorsByDay = Aggregates.everyDay(from: first, to: last, counts: counts)
        }
        return result
    }

    public func retention(_ query: RetentionQuery) async throws -> [RetentionCohort] {
        try await index.retention(query)
    }

    public func paths(_ query: PathQuery) async throws -> PathAnswer {
        try await index.paths(query)
    }

    private static let chunkColumns = """
        project_id, session_id, seq, ts, end_ts, event_count, byte_size, sha256, blob_key, full_snapshots, received_at
        """

    public func replayChunks(projectID: Int64, sessionID: String) async throws -> [ReplayChunkRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.chunkColumns) FROM replay_chunks WHERE project_id = ? AND session_id = ? ORDER BY seq",
                             arguments: [projectID, sessionID]).map(Self.chunk)
        }
    }

    public func replayChunk(projectID: Int64, sessionID: String, seq: Int) async throws -> ReplayChunkRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.chunkColumns) FROM replay_chunks WHERE project_id = ? AND session_id = ? AND seq = ?",
                             arguments: [projectID, sessionID, seq]).map(Self.chunk)
        }
    }

    static func chunk(_ row: Row) -> ReplayChunkRecord {
        let offsets: String = row[9]
        return ReplayChunkRecord(
            projectID: row[0], sessionID: row[1], seq: row[2], ts: row[3], endTs: row[4], eventCount: row[5], byteSize: row[6],
            sha256: row[7], blobKey: row[8],
            fullSnapshotOffsets: (try? JSONValue.parse(offsets))?.arrayValue?.compactMap { $0.intValue } ?? [],
            receivedAt: row[10])
    }
}

/// WHERE clauses built from optional filters, with their arguments in order.
struct SQLConditions {
    private var clauses: [String] = []
    private(set) var arguments = StatementArguments()

    var isEmpty: Bool { clauses.isEmpty }
    var whereClause: String { clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ") }

    mutating func add(_ clause: String) { clauses.append(clause) }

    mutating func add(_ clause: String, _ value: (some DatabaseValueConvertible)?) {
        guard let value else { return }
        clauses.append(clause)
        arguments += [value]
    }

    mutating func add(time filter: TimeFilter, column: String) {
        add("p.slug = ?", filter.projectSlug)
        add("\(column) >= ?", filter.from)
        add("\(column) <= ?", filter.to)
    }
}
