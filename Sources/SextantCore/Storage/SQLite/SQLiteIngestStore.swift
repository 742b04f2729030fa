import Foundation
import GRDB
import Logging

/// Commits ingest batches in one transaction: the rows of every item, then the side effects the
/// domain's `IngestPlan` decided for them (sessions and users, issues, signals, alerts).
public struct SQLiteIngestStore: IngestStore {
    let database: DatabasePool
    /// When set, a commit first restarts a log past three quarters of its bound (backpressure).
    let walLimit: SQLiteWALLimit?
    /// When set, each commit's events are handed to the event index once committed.
    let indexInbox: EventIndexInbox?

    public init(database: DatabasePool) {
        self.init(database: database, walLimit: nil, indexInbox: nil)
    }

    private static let walLogger = Logger(label: "sextant.wal")

    init(database: DatabasePool, walLimit: SQLiteWALLimit?, indexInbox: EventIndexInbox?) {
        self.database = database
        self.walLimit = walLimit
        self.indexInbox = indexInbox
    }

    public func commit(_ items: [IngestItem]) async throws -> [IngestOutcome] {
        if let walLimit, walLimit.walBytes() > walLimit.writerRestartBytes {
            // Backpressure, not a precondition: a restart that fails leaves the commit to go on.
            do {
                try await database.writeWithoutTransaction { db in try walLimit.restart(db, logger: Self.walLogger) }
            } catch {
                Self.walLogger.warning("WAL restart before a commit failed", metadata: ["error": "\(error)"])
            }
        }
        do {
            let (outcomes, indexed) = try await commitInTransaction(items)
            if let indexed { indexInbox?.deliver(indexed) }
            return outcomes
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw StorageError.diskFull
        }
    }

    private func commitInTransaction(_ items: [IngestItem]) async throws -> ([IngestOutcome], IndexedCommit?) {
        let wantsIndex = indexInbox != nil
        return try await database.write { db in
            var indexed: IndexedCommit?
            var plan = IngestPlan()
            var signals = SQLiteActiveSignals()
            var outcomes: [IngestOutcome] = []
            outcomes.reserveCapacity(items.count)
            func apply(_ item: IngestItem) throws -> IngestOutcome {
                switch item {
                case .events(let batch):
                    if wantsIndex, indexed == nil {
                        indexed = IndexedCommit(previousEventID: try SQLiteEventIndexSource.lastEventID(db), events: [])
                    }
                    try insertEvents(batch, db: db, plan: &plan, signals: &signals, indexed: &indexed)
                case .replayChunk(let chunk, let hint):
                    let outcome = try insertChunk(chunk, db: db)
                    if outcome == .stored { plan.observe(storedChunk: chunk, hint: hint) }
                    if hint.isFinal {
                        try db.execute(sql: "INSERT OR IGNORE INTO replay_final (project_id, session_id) VALUES (?, ?)",
                                       arguments: [chunk.projectID, chunk.sessionID])
                    }
                    return outcome
                case .logs(let batch):
                    try insertLogs(batch, db: db, plan: &plan, signals: &signals)
                case .heartbeat(let heartbeat):
                    try insertHeartbeat(heartbeat, receivedAt: heartbeat.ts, db: db)
                case .httpRequests(let batch):
                    try insertHTTPRequests(batch, db: db)
                case .spans(let batch):
                    try insertSpans(batch, db: db)
                case .releases(let batch):
                    try upsertReleases(batch, db: db)
                case .databaseQueries(let batch):
                    try insertDatabaseQueries(batch, db: db)
                case .attachment(let attachment):
                    return try insertAttachment(attachment, db: db)
                case .metrics(let batch):
                    try insertMetrics(batch, db: db)
                case .userProperties(let batch):
                    plan.observe(batch)
                case .together(let parts):
                    // The first outcome that is not a plain store speaks for the whole.
                    let outcomes = try parts.map(apply)
                    return outcomes.first { $0 != .stored } ?? .stored
                }
                return .stored
            }
            for item in items { outcomes.append(try apply(item)) }
            try plan.execute(db)
            return (outcomes, indexed)
        }
    }

    private func insertEvents(
        _ batch: EventBatch, db: Database, plan: inout IngestPlan, signals: inout SQLiteActiveSignals, indexed: inout IndexedCommit?
    ) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO events (project_id, ts, received_at, type, name, user_id, session_id, url, props)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var row = RowBinder(insert)
        let device = DeviceInfo(userAgent: batch.userAgent)
        let active = try signals.of(batch.projectID, db: db)
        for event in batch.events {
            row.bind(batch.projectID)
            row.bind(event.ts)
            row.bind(batch.receivedAt)
            row.bind(event.type.rawValue)
            row.bind(event.name)
            row.bind(event.userID)
            row.bind(event.sessionID)
            row.bind(event.url)
            row.bind(event.propsJSON)
            try row.step(db)
            indexed?.events.append(IndexedEvent(id: db.lastInsertedRowID, projectID: batch.projectID, identity: event.identity, type: event.type,
                                                name: event.name, url: event.url, ts: event.ts))
            plan.observe(
                event: event, eventID: db.lastInsertedRowID, projectID: batch.projectID, receivedAt: batch.receivedAt, device: device,
                signals: active)
        }
    }

    private func insertLogs(_ batch: LogBatch, db: Database, plan: inout IngestPlan, signals: inout SQLiteActiveSignals) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO logs (project_id, ts, received_at, level, message, environment, service, metadata, error, fingerprint,
                trace_id, span_id, parent_span_id, request_id, user_id, source, uid, client_project_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let index = try db.cachedStatement(sql: "INSERT INTO logs_search (rowid, message, error) VALUES (?, ?, ?)")
        var row = RowBinder(insert)
        var search = RowBinder(index)
        let active = try signals.of(batch.projectID, db: db)
        for record in batch.records {
            row.bind(batch.projectID)
            row.bind(record.ts)
            row.bind(batch.receivedAt)
            row.bind(record.level.rawValue)
            row.bind(record.message)
            row.bind(record.environment)
            row.bind(record.service)
            row.bind(record.metadataJSON)
            row.bind(record.errorJSON)
            row.bind(record.fingerprint)
            row.bind(record.traceID)
            row.bind(record.spanID)
            row.bind(record.parentSpanID)
            row.bind(record.requestID)
            row.bind(record.userID)
            row.bind(record.source)
            row.bind(record.uid)
            row.bind(record.clientProjectID)
            try row.step(db)
            search.bind(db.lastInsertedRowID)
            search.bind(record.message)
            search.bind(record.errorText)
            try search.step(db)
            plan.observe(log: record, projectID: batch.projectID, receivedAt: batch.receivedAt, signals: active)
        }
    }

    private func insertHeartbeat(_ heartbeat: HeartbeatRecord, receivedAt: Int64, db: Database) throws {
        let previous = try Double.fetchAll(db, sql: """
            SELECT duration_ms FROM heartbeats WHERE monitor_id = ? AND status = 'success' AND duration_ms IS NOT NULL
            ORDER BY ts DESC LIMIT ?
            """, arguments: [heartbeat.monitorID, MonitorIssues.slowRunWindow])
        try db.execute(sql: "INSERT INTO heartbeats (monitor_id, ts, status, duration_ms, message) VALUES (?, ?, ?, ?, ?)",
                       arguments: [heartbeat.monitorID, heartbeat.ts, heartbeat.status.rawValue, heartbeat.durationMs, heartbeat.message])
        try db.execute(sql: """
            UPDATE monitors SET last_ping_at = ?, last_status = ?, last_duration_ms = ?, status = ?, next_expected_at = ?, paused_at = NULL WHERE id = ?
            """, arguments: [
                heartbeat.ts, heartbeat.status.rawValue, heartbeat.durationMs, heartbeat.evaluation.status.rawValue,
                heartbeat.evaluation.nextExpectedAt, heartbeat.monitorID,
            ])
        guard let monitor = try Row.fetchOne(db, sql: """
            SELECT monitors.slug, monitors.project_id, projects.slug AS project_slug, projects.organization_id FROM monitors
            JOIN projects ON projects.id = monitors.project_id WHERE monitors.id = ?
            """, arguments: [heartbeat.monitorID]) else { return }
        let projectID: Int64 = monitor["project_id"]
        let plan = HeartbeatPlan(
            heartbeat: heartbeat,
            monitor: .init(slug: monitor["slug"], organizationID: monitor["organization_id"], projectSlug: monitor["project_slug"]),
            previousSuccessfulDurations: previous)
        switch plan.issueChange {
        case .resolve(let kind, let fingerprint):
            try SQLiteIssueRecorder.resolve(kind: kind, fingerprint: fingerprint, projectID: projectID, now: receivedAt, db: db)
        case .record(let occurrence):
            try SQLiteIssueRecorder.record(occurrence, projectID: projectID, now: receivedAt, db: db)
        }
        if let insight = plan.slowRun { try SQLiteInsightStore.insert(insight, projectID: projectID, db: db) }
    }

    private func insertHTTPRequests(_ batch: HTTPRequestBatch, db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO http_requests (project_id, ts, received_at, trace_id, direction, method, host, path, route, status_code,
                duration_ms, request_size, response_size, user_id, error_fingerprint)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for request in batch.requests {
            insert.setUncheckedArguments([
                batch.projectID, request.ts, batch.receivedAt, request.traceID, request.direction.rawValue, request.method, request.host,
                request.path, RoutePath.fold(request.path), request.statusCode, request.durationMs, request.requestSize, request.responseSize,
                request.userID, request.errorFingerprint,
            ])
            try insert.execute()
        }
    }

    private func insertSpans(_ batch: SpanBatch, db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO spans (project_id, received_at, trace_id, span_id, parent_span_id, operation, description, status, duration_ms,
                start_ms, end_ms, service, environment, tags, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for span in batch.spans {
            insert.setUncheckedArguments([
                batch.projectID, batch.receivedAt, span.traceID, span.spanID, span.parentSpanID, span.operation, span.description,
                span.status, span.durationMs, span.startMs, span.endMs, span.service, span.environment, span.tagsJSON, span.dataJSON,
            ])
            try insert.execute()
        }
    }

    private func insertMetrics(_ batch: MetricBatch, db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO metric_points (project_id, name, kind, unit, ts, value, count, min, max, cumulative, service, attributes, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for point in batch.points {
            insert.setUncheckedArguments([
                batch.projectID, point.name, point.kind.rawValue, point.unit, point.ts, point.value, point.count, point.min, point.max,
                point.isCumulative, point.service, point.attributesJSON, batch.receivedAt,
            ])
            try insert.execute()
        }
    }

    /// One statement decides whether the chunk is new (`ON CONFLICT DO NOTHING RETURNING`); only
    /// a chunk already there is then compared, so two writers of one chunk cannot both store it.
    private func insertChunk(_ chunk: ReplayChunkRecord, db: Database) throws -> IngestOutcome {
        let inserted = try Bool.fetchOne(db, sql: """
            INSERT INTO replay_chunks (project_id, session_id, seq, ts, end_ts, event_count, byte_size, sha256, blob_key,
                full_snapshots, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (project_id, session_id, seq) DO NOTHING
            RETURNING 1
            """, arguments: [
                chunk.projectID, chunk.sessionID, chunk.seq, chunk.ts, chunk.endTs, chunk.eventCount, chunk.byteSize,
                chunk.sha256, chunk.blobKey, "[" + chunk.fullSnapshotOffsets.map(String.init).joined(separator: ",") + "]",
                chunk.receivedAt,
            ]) ?? false
        if inserted { return .stored }
        let existing = try String.fetchOne(db, sql: """
            SELECT sha256 FROM replay_chunks WHERE project_id = ? AND session_id = ? AND seq = ?
            """, arguments: [chunk.projectID, chunk.sessionID, chunk.seq])
        return existing == chunk.sha256 ? .duplicate : .conflict
    }
}
