import Foundation
import Logging
import PostgresNIO
import SextantCore

/// Commits ingest batches in one transaction: the events and the logs of all its batches each in
/// one `COPY`, then the side effects the domain's `IngestPlan` decided
/// for them. Statements per commit, not per batch: each is a round trip to the server.
public struct PostgresIngestStore: IngestStore {
    let database: PostgresBackend
    /// When set, each commit's events are handed to this node's event index once committed.
    let indexInbox: EventIndexInbox?

    public init(database: PostgresBackend, indexInbox: EventIndexInbox? = nil) {
        self.database = database
        self.indexInbox = indexInbox
    }

    /// PostgreSQL writes concurrent transactions in parallel, and a commit spends most of its time
    /// in the server: while one commit's rows are inserted, the next is encoded and sent. Commits
    /// with events still take their ids one after another (`takeEventIDs`); commits touch shared
    /// rows in key order, as nodes do.
    public var concurrentCommits: Int { 4 }

    public func commit(_ items: [IngestItem]) async throws -> [IngestOutcome] {
        let wantsIndex = indexInbox != nil
        let (outcomes, indexed) = try await database.transaction { tx in
            var commit = Commit(tx: tx, wantsIndex: wantsIndex)
            // The event-id lock comes before any row lock of the commit (a monitor's, a release's),
            // so a commit holding it never waits for one that waits for it.
            let events = items.reduce(0) { $0 + $1.eventCount }
            if events > 0 { try await commit.takeEventIDs(events) }
            var outcomes: [IngestOutcome] = []
            outcomes.reserveCapacity(items.count)
            for item in items { outcomes.append(try await commit.apply(item)) }
            try await commit.insertRows()
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
        /// The id of the commit's next event.
        var firstEventID: Int64 = 0
        var events = PostgresCopyRows()
        var logs = PostgresCopyRows()
        var eventCount: Int { events.count }

        init(tx: PostgresTransaction, wantsIndex: Bool) {
            self.tx = tx
            self.wantsIndex = wantsIndex
        }

        mutating func apply(_ item: IngestItem) async throws -> IngestOutcome {
            switch item {
            case .events(let batch):
                try await addEvents(batch)
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
                try await addLogs(batch)
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

        /// Event ids are taken under a lock held to the commit, so they become visible in id order
        /// across every node: the event index follows the table by id and must never skip one. The
        /// lock comes before any row lock of the commit (a monitor's, a release's), so a commit
        /// holding it never waits for one that waits for it.
        mutating func takeEventIDs(_ count: Int) async throws {
            try await tx.execute("SELECT pg_advisory_xact_lock(\(PostgresAdvisoryLock.eventIDs))")
            // Every insert into events holds this lock, and retention keeps the newest event (as on
            // SQLite), so the ids after the largest are free and never handed out before.
            let last = try await tx.rows("SELECT coalesce(max(id), 0) FROM events")[0].decode(Int64.self)
            if wantsIndex { indexed = IndexedCommit(previousEventID: last, events: []) }
            firstEventID = last + 1
        }

        private mutating func addEvents(_ batch: EventBatch) async throws {
            guard !batch.events.isEmpty else { return }
            let device = DeviceInfo(userAgent: batch.userAgent)
            let active = try await signals.of(batch.projectID, tx: tx)
            for event in batch.events {
                let id = firstEventID + Int64(events.count)
                events.add(id)
                events.add(batch.projectID)
                events.add(event.ts)
                events.add(batch.receivedAt)
                events.add(event.type.rawValue)
                events.add(event.name)
                events.add(event.userID)
                events.add(event.sessionID)
                events.add(event.url)
                events.add(event.propsJSON)
                events.endRow()
                indexed?.events.append(IndexedEvent(id: id, projectID: batch.projectID, identity: event.identity, type: event.type,
                                                    name: event.name, url: event.url, ts: event.ts))
                plan.observe(event: event, eventID: id, projectID: batch.projectID, receivedAt: batch.receivedAt, device: device, signals: active)
            }
        }

        private mutating func addLogs(_ batch: LogBatch) async throws {
            guard !batch.records.isEmpty else { return }
            let active = try await signals.of(batch.projectID, tx: tx)
            for record in batch.records {
                logs.add(batch.projectID)
                logs.add(record.ts)
                logs.add(batch.receivedAt)
                logs.add(record.level.rawValue)
                logs.add(record.message)
                logs.add(record.environment)
                logs.add(record.service)
                logs.add(record.metadataJSON)
                logs.add(record.errorJSON)
                logs.add(record.fingerprint)
                logs.add(record.traceID)
                logs.add(record.spanID)
                logs.add(record.parentSpanID)
                logs.add(record.requestID)
                logs.add(record.userID)
                logs.add(record.source)
                logs.add(record.uid)
                logs.add(record.clientProjectID)
                logs.add(searchWordsOf: record.message, record.errorText)
                logs.endRow()
                plan.observe(log: record, projectID: batch.projectID, receivedAt: batch.receivedAt, signals: active)
            }
        }

        /// The commit's events and logs, each kind in one `COPY`.
        func insertRows() async throws {
            try await tx.copy(events, into: "events", columns: [
                "id", "project_id", "ts", "received_at", "type", "name", "user_id", "session_id", "url", "props",
            ])
            try await tx.copy(logs, into: "logs", columns: [
                "project_id", "ts", "received_at", "level", "message", "environment", "service", "metadata", "error", "fingerprint",
                "trace_id", "span_id", "parent_span_id", "request_id", "user_id", "source", "uid", "client_project_id", "search",
            ])
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
    /// How many events committing this item inserts.
    var eventCount: Int {
        switch self {
        case .events(let batch): batch.events.count
        case .together(let parts): parts.reduce(0) { $0 + $1.eventCount }
        default: 0
        }
    }
}
