import PostgresNIO
import SextantCore

/// Events, sessions, users and replay chunks from SQL; funnels, retention, paths, trends and the
/// aggregates from this node's event index, which reads what every node committed.
public struct PostgresAnalyticsStore: AnalyticsStore {
    let database: PostgresBackend
    let index: EventIndex

    public init(database: PostgresBackend, index: EventIndex) {
        self.database = database
        self.index = index
    }

    static let eventColumns = "e.id, e.ts, e.type, e.name, e.user_id, e.session_id, e.url, e.props, p.slug"

    public func events(_ filter: EventFilter) async throws -> [StoredEvent] {
        var filter = filter
        if let sessionID = filter.sessionID {
            // No session index: the session's own time span bounds the scan of the time index.
            guard let span = try await sessionSpan(sessionID, projectSlug: filter.time.projectSlug) else { return [] }
            filter.time.from = max(filter.time.from ?? .min, span.lowerBound)
            filter.time.to = min(filter.time.to ?? .max, span.upperBound)
        }
        var conditions = PostgresFilter()
        conditions.time(filter.time, column: "e.ts")
        conditions.equal("e.user_id", filter.userID)
        conditions.equal("e.session_id", filter.sessionID)
        conditions.equal("e.type", filter.type?.rawValue)
        conditions.equal("e.name", filter.name)
        if let part = filter.nameContains { conditions.add { "strpos(lower(e.name), lower(\($0(part)))) > 0" } }
        if let property = filter.property {
            conditions.add { "sextant_json_text(e.props, \($0(property.key))) = \($0(property.value))" }
        }
        // The expression and the type test are those of the partial index `events_error_trace`.
        if let traceID = filter.errorTraceID {
            conditions.add { "e.type = 'error' AND ((e.props::jsonb) ->> 'traceId') = \($0(traceID))" }
        }
        var statement = conditions.query("SELECT \(Self.eventColumns) FROM events e JOIN projects p ON p.id = e.project_id")
        statement.append(" ORDER BY e.ts DESC, e.id DESC LIMIT \(statement.bind(Int64(max(0, filter.limit))))")
        return try await database.rows(statement.query).map(Self.storedEvent)
    }

    /// Earliest start and latest activity of every session with this id.
    private func sessionSpan(_ sessionID: String, projectSlug: String?) async throws -> ClosedRange<Int64>? {
        var conditions = PostgresFilter()
        conditions.equal("s.session_id", sessionID)
        conditions.equal("p.slug", projectSlug)
        let statement = conditions.query("SELECT min(s.started_at), max(s.last_seen) FROM sessions s JOIN projects p ON p.id = s.project_id")
        let (from, to) = try await database.rows(statement.query)[0].decode((Int64?, Int64?).self)
        guard let from, let to, from <= to else { return nil }
        return from...to
    }

    public func event(id: Int64) async throws -> StoredEvent? {
        var statement = PostgresQueryBuilder()
        statement.append("SELECT \(Self.eventColumns) FROM events e JOIN projects p ON p.id = e.project_id WHERE e.id = \(statement.bind(id))")
        return try await database.rows(statement.query).first.map(Self.storedEvent)
    }

    public func sessionEvents(projectID: Int64, sessionID: String, from: Int64, to: Int64) async throws -> [StoredEvent] {
        var statement = PostgresQueryBuilder()
        let values = (session: statement.bind(sessionID), from: statement.bind(from), to: statement.bind(to), project: statement.bind(projectID))
        statement.append("""
            SELECT \(Self.eventColumns) FROM events e JOIN projects p ON p.id = e.project_id
            WHERE e.session_id = \(values.session) AND e.ts BETWEEN \(values.from) AND \(values.to) AND e.project_id = \(values.project)
            ORDER BY e.ts, e.id
            """)
        return try await database.rows(statement.query).map(Self.storedEvent)
    }

    static func storedEvent(_ row: PostgresRow) throws -> StoredEvent {
        let (id, ts, type, name, userID, sessionID, url, props, slug) =
            try row.decode((Int64, Int64, String, String, String?, String?, String?, String?, String).self)
        return StoredEvent(
            id: id, projectSlug: slug,
            event: IngestEvent(ts: ts, type: EventType(rawValue: type) ?? .event, name: name, userID: userID, sessionID: sessionID, url: url,
                               propsJSON: props))
    }

    public func users(_ filter: ListFilter) async throws -> [UserSummary] {
        var conditions = PostgresFilter()
        conditions.equal("p.slug", filter.projectSlug)
        conditions.equal("u.user_id", filter.userID)
        if let from = filter.from { conditions.add { "u.last_seen >= \($0(from))" } }
        if let to = filter.to { conditions.add { "u.first_seen <= \($0(to))" } }
        var statement = conditions.query("""
            SELECT u.user_id, p.slug, u.first_seen, u.last_seen, u.session_count, u.properties FROM users u JOIN projects p ON p.id = u.project_id
            """)
        statement.append(" ORDER BY u.last_seen DESC, u.user_id LIMIT \(statement.bind(Int64(max(0, filter.limit))))")
        return try await database.rows(statement.query).map { row in
            let (userID, slug, firstSeen, lastSeen, sessions, properties) = try row.decode((String, String, Int64, Int64, Int64, String?).self)
            return UserSummary(
                userID: userID, projectSlug: slug, firstSeen: firstSeen, lastSeen: lastSeen, sessionCount: Int(sessions), propertiesJSON: properties)
        }
    }

    static let sessionColumns = """
        s.project_id, p.slug, s.session_id, s.user_id, s.started_at, s.last_seen, s.event_count, s.error_count,
        s.chunk_count, s.entry_url, s.browser, s.os, s.device
        """

    public func sessions(_ filter: ListFilter) async throws -> [SessionSummary] {
        var conditions = PostgresFilter()
        conditions.equal("p.slug", filter.projectSlug)
        conditions.equal("s.user_id", filter.userID)
        if let from = filter.from { conditions.add { "s.last_seen >= \($0(from))" } }
        if let to = filter.to { conditions.add { "s.started_at <= \($0(to))" } }
        let wanted = filter.session
        if let hasReplay = wanted.hasReplay { conditions.add { _ in hasReplay ? "s.chunk_count > 0" : "s.chunk_count = 0" } }
        if let hasErrors = wanted.hasErrors { conditions.add { _ in hasErrors ? "s.error_count > 0" : "s.error_count = 0" } }
        if let minDuration = wanted.minDurationMs { conditions.add { "s.last_seen - s.started_at >= \($0(minDuration))" } }
        conditions.equal("s.device", wanted.device?.rawValue)
        if let browser = wanted.browser { conditions.add { "lower(s.browser) = lower(\($0(browser)))" } }
        if let part = wanted.urlContains {
            conditions.add {
                """
                EXISTS (SELECT 1 FROM events e WHERE e.session_id = s.session_id AND e.project_id = s.project_id
                        AND strpos(lower(e.url), lower(\($0(part)))) > 0)
                """
            }
        }
        var statement = conditions.query("SELECT \(Self.sessionColumns) FROM sessions s JOIN projects p ON p.id = s.project_id")
        statement.append(" ORDER BY s.last_seen DESC, s.session_id LIMIT \(statement.bind(Int64(max(0, filter.limit))))")
        return try await database.rows(statement.query).map(Self.sessionSummary)
    }

    public func session(id: String, projectSlug: String?) async throws -> SessionSummary? {
        var conditions = PostgresFilter()
        conditions.equal("s.session_id", id)
        conditions.equal("p.slug", projectSlug)
        var statement = conditions.query("SELECT \(Self.sessionColumns) FROM sessions s JOIN projects p ON p.id = s.project_id")
        statement.append(" ORDER BY s.last_seen DESC LIMIT 1")
        return try await database.rows(statement.query).first.map(Self.sessionSummary)
    }

    static func sessionSummary(_ row: PostgresRow) throws -> SessionSummary {
        let columns = row.makeRandomAccess()
        let browser = try columns[10].decode(String?.self)
        let os = try columns[11].decode(String?.self)
        let device = try columns[12].decode(String?.self)
        return SessionSummary(
            projectID: try columns[0].decode(Int64.self), projectSlug: try columns[1].decode(String.self),
            sessionID: try columns[2].decode(String.self), userID: try columns[3].decode(String?.self),
            startedAt: try columns[4].decode(Int64.self), lastSeen: try columns[5].decode(Int64.self),
            eventCount: Int(try columns[6].decode(Int64.self)), errorCount: Int(try columns[7].decode(Int64.self)),
            chunkCount: Int(try columns[8].decode(Int64.self)), entryURL: try columns[9].decode(String?.self),
            device: browser.map { DeviceInfo(browser: $0, os: os ?? "Other", device: DeviceInfo.Kind(rawValue: device ?? "") ?? .desktop) })
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
        var conditions = PostgresFilter()
        conditions.add { _ in "o.kind = 'error'" }
        conditions.equal("p.slug", filter.projectSlug)
        if let from = filter.from { conditions.add { "o.day >= \($0(from / day))" } }
        if let to = filter.to { conditions.add { "o.day <= \($0(to / day))" } }
        var statement = conditions.query("SELECT o.day, sum(o.count)::bigint FROM occurrence_days o JOIN projects p ON p.id = o.project_id")
        statement.append(" GROUP BY o.day")
        var counts: [Int64: Int] = [:]
        for row in try await database.rows(statement.query) {
            let (day, count) = try row.decode((Int64, Int64).self)
            counts[day] = Int(count)
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

    static let chunkColumns = "project_id, session_id, seq, ts, end_ts, event_count, byte_size, sha256, blob_key, full_snapshots, received_at"

    public func replayChunks(projectID: Int64, sessionID: String) async throws -> [ReplayChunkRecord] {
        var statement = PostgresQueryBuilder()
        statement.append("""
            SELECT \(Self.chunkColumns) FROM replay_chunks WHERE project_id = \(statement.bind(projectID)) AND session_id = \(statement.bind(sessionID))
            ORDER BY seq
            """)
        return try await database.rows(statement.query).map(Self.chunk)
    }

    public func replayChunk(projectID: Int64, sessionID: String, seq: Int) async throws -> ReplayChunkRecord? {
        var statement = PostgresQueryBuilder()
        statement.append("""
            SELECT \(Self.chunkColumns) FROM replay_chunks WHERE project_id = \(statement.bind(projectID)) AND session_id = \(statement.bind(sessionID))
                AND seq = \(statement.bind(Int64(seq)))
            """)
        return try await database.rows(statement.query).first.map(Self.chunk)
    }

    static func chunk(_ row: PostgresRow) throws -> ReplayChunkRecord {
        let columns = row.makeRandomAccess()
        let offsets = try columns[9].decode(String.self)
        return ReplayChunkRecord(
            projectID: try columns[0].decode(Int64.self), sessionID: try columns[1].decode(String.self), seq: Int(try columns[2].decode(Int64.self)),
            ts: try columns[3].decode(Int64.self), endTs: try columns[4].decode(Int64.self), eventCount: Int(try columns[5].decode(Int64.self)),
            byteSize: Int(try columns[6].decode(Int64.self)), sha256: try columns[7].decode(String.self), blobKey: try columns[8].decode(String.self),
            fullSnapshotOffsets: (try? JSONValue.parse(offsets))?.arrayValue?.compactMap { $0.intValue } ?? [],
            receivedAt: try columns[10].decode(Int64.self))
    }
}
