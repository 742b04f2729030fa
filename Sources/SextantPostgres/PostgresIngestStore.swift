import Foundation
import Logging
import PostgresNIO
import SextantCore

/// Commits ingest batches in one transaction: each batch's rows in one `INSERT … SELECT FROM
/// unnest(…)`, then the side effects the domain's `IngestPlan` decided for them.
public struct PostgresIngestStore: IngestStore {
    let database: PostgresBackend
    /// When set, each commit's events are handed to this node's event index once committed.
    let indexInbox: EventIndexInbox?

    public init(database: PostgresBackend, indexInbox: EventIndexInbox? = nil) {
        self.database = database
        self.indexInbox = indexInbox
    }

    public func commit(_ items: [IngestItem]) async throws -> [IngestOutcome] {
        let wantsIndex = indexInbox != nil
        let (outcomes, indexed) = try await database.transaction { tx in
            var commit = Commit(tx: tx, wantsIndex: wantsIndex)
            // The event-id lock comes before any row lock of the commit (a monitor's, a release's),
            // so a commit holding it never waits for one that waits for it.
            if items.contains(where: \.carriesEvents) { try await commit.lockEventIDs() }
            var outcomes: [IngestOutcome] = []
            outcomes.reserveCapacity(items.count)
            for item in items { outcomes.append(try await commit.apply(item)) }
            try await commit.plan.execute(tx)
            return (outcomes, commit.indexed)
        }
        if let indexed { indexInbox?.deliver(indexed) }
        return outcomes
    }

    /// One commit's state while its items are written.
    struct Commit {
        let tx: PostgresTransaction
        let wantsIndex: Bool
        var plan = IngestPlan()
        var signals = PostgresActiveSignals()
        var indexed: IndexedCommit?
        var eventsLocked = false

        init(tx: PostgresTransaction, wantsIndex: Bool) {
            self.tx = tx
            self.wantsIndex = wantsIndex
        }

        mutating func apply(_ item: IngestItem) async throws -> IngestOutcome {
            switch item {
            case .events(let batch):
                try await insertEvents(batch)
            case .replayChunk(let chunk, let hint):
                let outcome = try await insertChunk(chunk)
                if outcome == .stored { plan.observe(storedChunk: chunk, hint: hint) }
                if hint.isFinal {
                    try await tx.execute("""
                        INSERT INTO replay_final (project_id, session_id) VALUES (\(chunk.projectID), \(chunk.sessionID)) ON CONFLICT DO NOTHING
                        """)
                }
                return outcome
            case .logs(let batch):
                try await insertLogs(batch)
            case .heartbeat(let heartbeat):
                try await PostgresHeartbeats.insert(heartbeat, receivedAt: heartbeat.ts, tx: tx)
            case .httpRequests(let batch):
                try await PostgresTelemetryRows.insert(batch, tx: tx)
            case .spans(let batch):
                try await PostgresTelemetryRows.insert(batch, tx: tx)
            case .releases(let batch):
                try await PostgresReleaseHealth.upsert(batch, tx: tx)
            case .databaseQueries(let batch):
                try await PostgresTelemetryRows.insert(batch, tx: tx)
            case .attachment(let attachment):
                return try await PostgresTelemetryRows.insert(attachment, tx: tx)
            case .metrics(let batch):
                try await PostgresTelemetryRows.insert(batch, tx: tx)
            case .userProperties(let batch):
                plan.observe(batch)
            case .together(let parts):
                // The first outcome that is not a plain store speaks for the whole.
                var outcomes: [IngestOutcome] = []
                for part in parts { outcomes.append(try await apply(part)) }
                return outcomes.first { $0 != .stored } ?? .stored
            }
            return .stored
        }

        mutating func lockEventIDs() async throws {
            try await tx.execute("SELECT pg_advisory_xact_lock(\(PostgresAdvisoryLock.eventIDs))")
            eventsLocked = true
            if wantsIndex {
                let last = try await tx.rows("SELECT coalesce(max(id), 0) FROM events")[0].decode(Int64.self)
                indexed = IndexedCommit(previousEventID: last, events: [])
            }
        }

        /// Event ids are taken under a lock held to the commit, so they become visible in id order
        /// across every node: the event index follows the table by id and must never skip one.
        private mutating func insertEvents(_ batch: EventBatch) async throws {
            guard !batch.events.isEmpty else { return }
            if !eventsLocked { try await lockEventIDs() }
            let ids = try await tx.rows("""
                SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, \(batch.events.count))
                """).map { try $0.decode(Int64.self) }.sorted()
            let device = DeviceInfo(userAgent: batch.userAgent)
            let active = try await signals.of(batch.projectID, tx: tx)
            var rows = PostgresBulkRows(types: ["bigint", "bigint", "text", "text", "text", "text", "text", "text"])
            for (event, id) in zip(batch.events, ids) {
                rows[0].append(id)
                rows[1].append(event.ts)
                rows[2].append(event.type.rawValue)
                rows[3].append(event.name)
                rows[4].append(event.userID)
                rows[5].append(event.sessionID)
                rows[6].append(event.url)
                rows[7].append(event.propsJSON)
                indexed?.events.append(IndexedEvent(id: id, projectID: batch.projectID, identity: event.identity, type: event.type,
                                                    name: event.name, url: event.url, ts: event.ts))
                plan.observe(event: event, eventID: id, projectID: batch.projectID, receivedAt: batch.receivedAt, device: device, signals: active)
            }
            var statement = PostgresQueryBuilder()
            let projectID = statement.bind(batch.projectID)
            let receivedAt = statement.bind(batch.receivedAt)
            statement.append("""
                INSERT INTO events (id, project_id, ts, received_at, type, name, user_id, session_id, url, props)
                SELECT id, \(projectID), ts, \(receivedAt), type, name, user_id, session_id, url, props
                FROM \(rows.unnest(binding: &statement)) AS batch (id, ts, type, name, user_id, session_id, url, props)
                """)
            try await tx.execute(statement.query)
        }

        private mutating func insertLogs(_ batch: LogBatch) async throws {
            guard !batch.records.isEmpty else { return }
            let active = try await signals.of(batch.projectID, tx: tx)
            var rows = PostgresBulkRows(types: [
                "bigint", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text",
                "text", "text",
            ])
            for record in batch.records {
                rows[0].append(record.ts)
                rows[1].append(record.level.rawValue)
                rows[2].append(record.message)
                rows[3].append(record.environment)
                rows[4].append(record.service)
                rows[5].append(record.metadataJSON)
                rows[6].append(record.errorJSON)
                rows[7].append(record.fingerprint)
                rows[8].append(record.traceID)
                rows[9].append(record.spanID)
                rows[10].append(record.parentSpanID)
                rows[11].append(record.requestID)
                rows[12].append(record.userID)
                rows[13].append(record.source)
                rows[14].append(record.uid)
                rows[15].append(record.clientProjectID)
                // array_to_tsvector drops repeated words itself.
                rows[16].append(LogSearchWords.of(record.message + " " + (record.errorText ?? "")).joined(separator: " "))
                plan.observe(log: record, projectID: batch.projectID, receivedAt: batch.receivedAt, signals: active)
            }
            var statement = PostgresQueryBuilder()
            let projectID = statement.bind(batch.projectID)
            let receivedAt = statement.bind(batch.receivedAt)
            statement.append("""
                INSERT INTO logs (project_id, ts, received_at, level, message, environment, service, metadata, error, fingerprint,
                    trace_id, span_id, parent_span_id, request_id, user_id, source, uid, client_project_id, search)
                SELECT \(projectID), ts, \(receivedAt), level, message, environment, service, metadata, error, fingerprint,
                    trace_id, span_id, parent_span_id, request_id, user_id, source, uid, client_project_id,
                    array_to_tsvector(string_to_array(search_words, ' '))
                FROM \(rows.unnest(binding: &statement)) AS batch (ts, level, message, environment, service, metadata, error, fingerprint,
                    trace_id, span_id, parent_span_id, request_id, user_id, source, uid, client_project_id, search_words)
                """)
            try await tx.execute(statement.query)
        }

        /// One statement decides whether the chunk is new (`ON CONFLICT DO NOTHING RETURNING`); only
        /// a chunk already there is then compared, so two nodes storing one chunk cannot both store it.
        private func insertChunk(_ chunk: ReplayChunkRecord) async throws -> IngestOutcome {
            let inserted = try await tx.count("""
                INSERT INTO replay_chunks (project_id, session_id, seq, ts, end_ts, event_count, byte_size, sha256, blob_key,
                    full_snapshots, received_at)
                VALUES (\(chunk.projectID), \(chunk.sessionID), \(Int64(chunk.seq)), \(chunk.ts), \(chunk.endTs), \(Int64(chunk.eventCount)),
                    \(Int64(chunk.byteSize)), \(chunk.sha256), \(chunk.blobKey),
                    \("[" + chunk.fullSnapshotOffsets.map(String.init).joined(separator: ",") + "]"), \(chunk.receivedAt))
                ON CONFLICT (project_id, session_id, seq) DO NOTHING
                RETURNING 1
                """) > 0
            if inserted { return .stored }
            let existing = try await tx.rows("""
                SELECT sha256 FROM replay_chunks WHERE project_id = \(chunk.projectID) AND session_id = \(chunk.sessionID) AND seq = \(Int64(chunk.seq))
                """).first?.decode(String.self)
            return existing == chunk.sha256 ? .duplicate : .conflict
        }
    }
}

extension IngestItem {
    /// Whether committing this item inserts events.
    var carriesEvents: Bool {
        switch self {
        case .events(let batch): !batch.events.isEmpty
        case .together(let parts): parts.contains(where: \.carriesEvents)
        default: false
        }
    }
}
