import Foundation
import GRDB

/// Opens Sextant's SQLite database (WAL, one writer, concurrent readers) and migrates it.
public enum SQLiteDatabase {
    /// How long a write waits for the lock (the CLI may write while the server runs).
    static let writerBusyTimeoutMs = 10_000

    public static func open(directory: String, settings: StorageSettings = .init()) throws -> DatabasePool {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(writerBusyTimeoutMs) / 1000)
        configuration.maximumReaderCount = settings.maxReaders
        configuration.prepareDatabase { db in
            // FULL: a commit is on disk before ingest answers 2xx (group commit pays one fsync per batch).
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Memory is bounded by these caches (writer + readers x reader cache), not by the data:
            // the writer's is large so ingest's index pages stay in memory between commits;
            // readers' are small. No mmap: mapped pages would count against RSS with no bound.
            let cacheKiB = db.configuration.readonly ? settings.readerCacheKiB : settings.writerCacheKiB
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            try db.execute(sql: "PRAGMA mmap_size = 0")
            // Checkpoints run in SQLiteCheckpointer, off the committing path: done by the
            // committing connection, they took about 40% of the writer's time.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            try db.execute(sql: "PRAGMA journal_size_limit = \(SQLiteWALLimit(databasePath: "", settings: settings).earlyRestartBytes)")
        }
        let pool = try DatabasePool(path: databasePath(directory), configuration: configuration)
        try migrator.migrate(pool)
        return pool
    }

    static func databasePath(_ directory: String) -> String {
        (directory as NSString).appendingPathComponent("sextant.sqlite")
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tenancy-events-sessions-replay") { db in
            try db.execute(sql: """
                CREATE TABLE organizations (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE projects (
                    id INTEGER PRIMARY KEY,
                    slug TEXT NOT NULL UNIQUE,
                    organization_id TEXT NOT NULL REFERENCES organizations(id),
                    name TEXT NOT NULL,
                    origins TEXT NOT NULL DEFAULT '[]',
                    rate_rps REAL,
                    rate_burst INTEGER,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE ingest_keys (
                    key_hash TEXT PRIMARY KEY,
                    key TEXT NOT NULL,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    is_server_key INTEGER NOT NULL DEFAULT 0,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                CREATE TABLE api_tokens (
                    id TEXT PRIMARY KEY,
                    token_hash TEXT NOT NULL UNIQUE,
                    display_prefix TEXT NOT NULL,
                    organization_id TEXT NOT NULL REFERENCES organizations(id),
                    scopes TEXT NOT NULL,
                    name TEXT,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                -- ids grow in arrival order, so retention can cut by id without an index on received_at.
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    user_id TEXT,
                    session_id TEXT,
                    url TEXT,
                    props TEXT
                );
                -- Two indexes only: time (inserted near its right edge) and session (incidents, timelines).
                CREATE INDEX events_by_ts ON events(ts);
                CREATE INDEX events_by_session ON events(session_id, ts) WHERE session_id IS NOT NULL;
                CREATE TABLE sessions (
                    project_id INTEGER NOT NULL,
                    session_id TEXT NOT NULL,
                    user_id TEXT,
                    started_at INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    event_count INTEGER NOT NULL DEFAULT 0,
                    error_count INTEGER NOT NULL DEFAULT 0,
                    chunk_count INTEGER NOT NULL DEFAULT 0,
                    entry_url TEXT,
                    entry_ts INTEGER,
                    PRIMARY KEY (project_id, session_id)
                ) WITHOUT ROWID;
                CREATE INDEX sessions_by_last_seen ON sessions(last_seen);
                CREATE TABLE users (
                    project_id INTEGER NOT NULL,
                    user_id TEXT NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    session_count INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (project_id, user_id)
                ) WITHOUT ROWID;
                CREATE INDEX users_by_last_seen ON users(last_seen);
                -- Which sessions each identity was seen in: makes users.session_count an upsert.
                CREATE TABLE user_sessions (
                    project_id INTEGER NOT NULL,
                    user_id TEXT NOT NULL,
                    session_id TEXT NOT NULL,
                    PRIMARY KEY (project_id, user_id, session_id)
                ) WITHOUT ROWID;
                CREATE TABLE replay_chunks (
                    project_id INTEGER NOT NULL,
                    session_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    end_ts INTEGER NOT NULL,
                    event_count INTEGER NOT NULL,
                    byte_size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    blob_key TEXT NOT NULL,
                    full_snapshots TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    PRIMARY KEY (project_id, session_id, seq)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-logs") { db in
            try db.execute(sql: """
                CREATE TABLE logs (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    level TEXT NOT NULL,
                    message TEXT NOT NULL,
                    environment TEXT,
                    service TEXT,
                    metadata TEXT,
                    error TEXT,
                    fingerprint TEXT,
                    trace_id TEXT,
                    span_id TEXT,
                    parent_span_id TEXT,
                    request_id TEXT,
                    user_id TEXT,
                    source TEXT NOT NULL
                );
                CREATE INDEX logs_by_ts ON logs(ts);
                -- Full-text search over message and error; the text lives in logs, the index here.
                CREATE VIRTUAL TABLE logs_search USING fts5(message, error, content='', tokenize='unicode61');
                """)
        }
        // A random-order index on session ids halved ingest; session queries take their time bounds
        // from the sessions row and use the time index instead.
        migrator.registerMigration("v3-time-ordered-event-indexes") { db in
            try db.execute(sql: "DROP INDEX events_by_session")
        }
        migrator.registerMigration("v4-seestack-telemetry-monitors") { db in
            try db.execute(sql: """
                ALTER TABLE logs ADD COLUMN uid TEXT;
                CREATE TABLE http_requests (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL,
                    ts INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    trace_id TEXT,
                    direction TEXT NOT NULL,
                    method TEXT NOT NULL,
                    host TEXT NOT NULL,
                    path TEXT NOT NULL,
                    route TEXT NOT NULL,
                    status_code INTEGER NOT NULL,
                    duration_ms REAL NOT NULL,
                    request_size INTEGER,
                    response_size INTEGER,
                    user_id TEXT,
                    error_fingerprint TEXT
                );
                CREATE INDEX http_requests_by_ts ON http_requests(ts);
                CREATE TABLE spans (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    trace_id TEXT NOT NULL,
                    span_id TEXT NOT NULL,
                    parent_span_id TEXT,
                    operation TEXT,
                    description TEXT,
                    status TEXT,
                    duration_ms REAL,
                    start_ms INTEGER,
                    end_ms INTEGER,
                    service TEXT,
                    environment TEXT,
                    tags TEXT,
                    data TEXT
                );
                CREATE INDEX spans_by_start ON spans(start_ms);
                CREATE TABLE monitors (
                    id TEXT PRIMARY KEY,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    slug TEXT NOT NULL,
                    schedule TEXT NOT NULL,
                    grace_seconds INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending',
                    last_ping_at INTEGER,
                    last_status TEXT,
                    last_duration_ms REAL,
                    next_expected_at INTEGER,
                    UNIQUE (project_id, slug)
                );
                CREATE TABLE heartbeats (
                    id INTEGER PRIMARY KEY,
                    monitor_id TEXT NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
                    ts INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    duration_ms REAL,
                    message TEXT
                );
                CREATE INDEX heartbeats_by_monitor ON heartbeats(monitor_id, ts);
                """)
        }
        migrator.registerMigration("v5-retention") { db in
            try db.execute(sql: """
                ALTER TABLE projects ADD COLUMN retention TEXT;
                CREATE INDEX replay_chunks_by_received ON replay_chunks(received_at);
                """)
        }
        migrator.registerMigration("v6-issues-signals-insights-oauth-alerts") { db in
            try db.execute(sql: """
                CREATE TABLE issues (
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL,
                    project_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    title TEXT NOT NULL,
                    description TEXT NOT NULL,
                    culprit TEXT,
                    level TEXT NOT NULL,
                    status TEXT NOT NULL,
                    priority TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    user_count INTEGER NOT NULL,
                    session_count INTEGER NOT NULL,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    sample_session_id TEXT,
                    sample_event_id INTEGER,
                    sample_ts INTEGER,
                    ticket_provider TEXT,
                    ticket_url TEXT,
                    ticket_identifier TEXT,
                    regressed_at INTEGER,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (project_id, kind, fingerprint)
                );
                CREATE INDEX issues_by_organization ON issues(organization_id, created_at, id);
                -- Occurrences per project, kind and hour of arrival: the error-spike baseline without scanning events.
                CREATE TABLE occurrence_hours (
                    project_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    hour INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (project_id, kind, hour)
                ) WITHOUT ROWID;
                CREATE TABLE issue_users (issue_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (issue_id, user_id)) WITHOUT ROWID;
                CREATE TABLE issue_sessions (issue_id TEXT NOT NULL, session_id TEXT NOT NULL, PRIMARY KEY (issue_id, session_id)) WITHOUT ROWID;
                CREATE TABLE signals (
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL,
                    project_id INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    prompt TEXT,
                    status TEXT NOT NULL,
                    match TEXT NOT NULL,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    match_count INTEGER NOT NULL DEFAULT 0,
                    last_match_at INTEGER,
                    UNIQUE (project_id, name)
                );
                CREATE TABLE insights (
                    id TEXT PRIMARY KEY,
                    organization_id TEXT NOT NULL,
                    project_id INTEGER NOT NULL,
                    period TEXT NOT NULL,
                    interval_start INTEGER NOT NULL,
                    interval_end INTEGER NOT NULL,
                    sessions_count INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    content_preview TEXT NOT NULL,
                    findings TEXT NOT NULL,
                    issue_ids TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    UNIQUE (project_id, period, interval_start)
                );
                CREATE INDEX insights_by_organization ON insights(organization_id, created_at, id);
                ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
                ALTER TABLE api_tokens ADD COLUMN client_id TEXT;
                ALTER TABLE api_tokens ADD COLUMN family_id TEXT;
                CREATE TABLE oauth_clients (
                    client_id TEXT PRIMARY KEY,
                    secret_hash TEXT,
                    organization_id TEXT,
                    name TEXT,
                    redirect_uris TEXT NOT NULL DEFAULT '[]',
                    scopes TEXT NOT NULL,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE oauth_codes (
                    code_hash TEXT PRIMARY KEY,
                    client_id TEXT NOT NULL,
                    organization_id TEXT NOT NULL,
                    redirect_uri TEXT NOT NULL,
                    code_challenge TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    used_at INTEGER
                );
                CREATE TABLE oauth_refresh_tokens (
                    token_hash TEXT PRIMARY KEY,
                    family_id TEXT NOT NULL,
                    client_id TEXT NOT NULL,
                    organization_id TEXT NOT NULL,
                    scopes TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    used_at INTEGER,
                    revoked_at INTEGER
                );
                CREATE TABLE webhooks (
                    project_id INTEGER NOT NULL,
                    url TEXT NOT NULL,
                    events TEXT NOT NULL,
                    PRIMARY KEY (project_id, url)
                );
                CREATE TABLE alert_outbox (
                    id INTEGER PRIMARY KEY,
                    url TEXT NOT NULL,
                    body TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL,
                    delivered_at INTEGER,
                    failed_at INTEGER,
                    last_error TEXT,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX alert_outbox_pending ON alert_outbox(next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
                -- Sessions their uploader declared complete, analyzed without waiting for them to go quiet.
                CREATE TABLE replay_final (project_id INTEGER NOT NULL, session_id TEXT NOT NULL, PRIMARY KEY (project_id, session_id)) WITHOUT ROWID;
                CREATE TABLE replay_analysis (
                    project_id INTEGER NOT NULL,
                    session_id TEXT NOT NULL,
                    analyzed_seq INTEGER NOT NULL,
                    analyzed_through_ts INTEGER NOT NULL,
                    PRIMARY KEY (project_id, session_id)
                ) WITHOUT ROWID;
                """)
        }
        // Fields that were dropped on the way in (issue 9): LuminaLog's own project_id.
        migrator.registerMigration("v7-log-client-project") { db in
            try db.execute(sql: "ALTER TABLE logs ADD COLUMN client_project_id TEXT")
        }
        // What allstak reports beside errors (issue 9): releases, release-health sessions, database queries.
        migrator.registerMigration("v8-releases-sessions-queries") { db in
            try db.execute(sql: """
                CREATE TABLE releases (
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    version TEXT NOT NULL,
                    environment TEXT NOT NULL,
                    commit_sha TEXT, branch TEXT, author TEXT, message TEXT,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    PRIMARY KEY (project_id, version, environment)
                ) WITHOUT ROWID;
                CREATE TABLE release_sessions (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    session_id TEXT NOT NULL,
                    release TEXT,
                    environment TEXT,
                    user_id TEXT, sdk TEXT, platform TEXT,
                    started_at INTEGER,
                    ended_at INTEGER,
                    duration_ms REAL,
                    status TEXT NOT NULL DEFAULT 'ok',
                    error_count INTEGER NOT NULL DEFAULT 0,
                    received_at INTEGER NOT NULL,
                    UNIQUE (project_id, session_id)
                );
                CREATE INDEX release_sessions_release ON release_sessions(project_id, release, environment);
                CREATE TABLE db_queries (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    ts INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    query_hash TEXT NOT NULL,
                    normalized_query TEXT NOT NULL,
                    query_type TEXT NOT NULL,
                    duration_ms REAL NOT NULL,
                    failed INTEGER NOT NULL,
                    error_message TEXT, database_name TEXT, database_type TEXT, service TEXT, environment TEXT,
                    trace_id TEXT, span_id TEXT, parent_span_id TEXT, rows_affected INTEGER
                );
                CREATE INDEX db_queries_project_ts ON db_queries(project_id, ts);
                """)
        }
        // Traces are read by id (issue 12): their spans, and the errors and logs that carry the id.
        migrator.registerMigration("v9-trace-lookups") { db in
            try db.execute(sql: """
                CREATE INDEX spans_trace ON spans(trace_id);
                CREATE INDEX logs_trace ON logs(trace_id) WHERE trace_id IS NOT NULL;
                CREATE INDEX events_error_trace ON events(json_extract(props, '$.traceId')) WHERE type = 'error';
                """)
        }
        // Files sent with events (Sentry attachments); the bytes are blobs.
        migrator.registerMigration("v10-attachments") { db in
            try db.execute(sql: """
                CREATE TABLE attachments (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    event_id TEXT NOT NULL,
                    filename TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    byte_size INTEGER NOT NULL,
                    sha256 TEXT NOT NULL,
                    blob_key TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    UNIQUE (project_id, event_id, filename, sha256)
                );
                """)
        }
        migrator.registerMigration("v11-metrics-user-properties") { db in
            try db.execute(sql: """
                CREATE TABLE metric_points (
                    id INTEGER PRIMARY KEY,
                    project_id INTEGER NOT NULL REFERENCES projects(id),
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    unit TEXT,
                    ts INTEGER NOT NULL,
                    value REAL NOT NULL,
                    count INTEGER,
                    min REAL,
                    max REAL,
                    cumulative INTEGER NOT NULL,
                    service TEXT,
                    attributes TEXT,
                    received_at INTEGER NOT NULL
                );
                CREATE INDEX metric_points_by_name ON metric_points(project_id, name, ts);
                -- What PostHog's $set and $set_once say about a user, merged as a JSON object.
                ALTER TABLE users ADD COLUMN properties TEXT;
                """)
        }
        migrator.registerMigration("v12-daily-rollups") { db in
            try db.execute(sql: """
                CREATE TABLE daily_counts (
                    project_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    key TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (project_id, kind, day, key)
                ) WITHOUT ROWID;
                CREATE TABLE daily_identities (
                    project_id INTEGER NOT NULL,
                    day INTEGER NOT NULL,
                    identity TEXT NOT NULL,
                    PRIMARY KEY (project_id, day, identity)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v13-event-index-tombstones") { db in
            // The event index replaced the daily counters; it learns of purged events from their tombstones.
            try db.execute(sql: """
                DROP TABLE daily_counts;
                DROP TABLE daily_identities;
                -- AUTOINCREMENT: trimmed sequence numbers are never handed out again.
                CREATE TABLE event_tombstones (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id INTEGER NOT NULL,
                    project_id INTEGER NOT NULL,
                    identity TEXT,
                    type TEXT NOT NULL,
                    name TEXT NOT NULL,
                    url TEXT,
                    ts INTEGER NOT NULL
                );
                -- Occurrences per project, kind and UTC day of their time: errors of every source by day.
                CREATE TABLE occurrence_days (
                    project_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (project_id, kind, day)
                ) WITHOUT ROWID;
                -- The errors stored before: error events, and logs at error or fatal or carrying an error.
                INSERT INTO occurrence_days (project_id, kind, day, count)
                SELECT project_id, 'error', ts / 86400000, count(*) FROM (
                    SELECT project_id, ts FROM events WHERE type = 'error'
                    UNION ALL SELECT project_id, ts FROM logs WHERE level IN ('error', 'fatal') OR error IS NOT NULL
                ) GROUP BY 1, 3;
                """)
        }
        migrator.registerMigration("v14-dashboard-settings") { db in
            // Monitors can be paused from the dashboard; webhooks can be added there, so each has an
            // id and a source, and a restart replaces only the configuration file's own.
            try db.execute(sql: """
                ALTER TABLE monitors ADD COLUMN paused_at INTEGER;
                -- The device a session came from, as its browser's User-Agent told (DeviceInfo).
                ALTER TABLE sessions ADD COLUMN browser TEXT;
                ALTER TABLE sessions ADD COLUMN os TEXT;
                ALTER TABLE sessions ADD COLUMN device TEXT;
                ALTER TABLE monitors ADD COLUMN resumed_at INTEGER;
                CREATE TABLE webhooks_v14 (
                    id TEXT PRIMARY KEY,
                    project_id INTEGER NOT NULL,
                    url TEXT NOT NULL,
                    events TEXT NOT NULL,
                    source TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    UNIQUE (project_id, url)
                );
                INSERT INTO webhooks_v14 (id, project_id, url, events, source, created_at)
                SELECT lower(hex(randomblob(16))), project_id, url, events, 'config', 0 FROM webhooks;
                DROP TABLE webhooks;
                ALTER TABLE webhooks_v14 RENAME TO webhooks;
                -- An issue's page: occurrences per UTC day, per tag, and the latest ones (a bounded list).
                CREATE TABLE issue_days (
                    issue_id TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (issue_id, day)
                ) WITHOUT ROWID;
                CREATE TABLE issue_tags (
                    issue_id TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (issue_id, key, value)
                ) WITHOUT ROWID;
                CREATE TABLE issue_occurrences (
                    id INTEGER PRIMARY KEY,
                    issue_id TEXT NOT NULL,
                    ts INTEGER NOT NULL,
                    event_id INTEGER,
                    session_id TEXT,
                    user_id TEXT,
                    tags TEXT NOT NULL
                );
                CREATE INDEX issue_occurrences_by_issue ON issue_occurrences(issue_id, id);
                """)
        }
        migrator.registerMigration("v15-cluster") { db in
            // Which node runs each piece of cluster-wide background work (LeaseKeeper); and the
            // token of the upsert that last reopened an issue, so that upsert alone reports the
            // regression (SQLiteIssueRecorder).
            try db.execute(sql: """
                CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);
                ALTER TABLE issues ADD COLUMN regression_token TEXT;
                """)
        }
        return migrator
    }

    /// The store set backed by one SQLite database and a filesystem blob directory; opened only
    /// through `StoreFactory`, which chooses the backends.
    package static func makeStore(directory: String, settings: StorageSettings = .init()) throws -> SextantStore {
        let pool = try open(directory: directory, settings: settings)
        let checkpointer = try SQLiteCheckpointer(pool: pool, path: databasePath(directory), settings: settings)
        let index = EventIndex(source: SQLiteEventIndexSource(database: pool))
        return SextantStore(
            tenancy: SQLiteTenancyStore(database: pool),
            ingest: SQLiteIngestStore(database: pool, walLimit: SQLiteWALLimit(databasePath: databasePath(directory), settings: settings),
                                     indexInbox: index.inbox),
            analytics: SQLiteAnalyticsStore(database: pool, index: index),
            logs: SQLiteLogStore(database: pool),
            monitors: SQLiteMonitorStore(database: pool),
            telemetry: SQLiteTelemetryStore(database: pool),
            retention: SQLiteRetentionStore(database: pool),
            blobs: try FileBlobStore(root: (directory as NSString).appendingPathComponent("blobs")),
            issues: SQLiteIssueStore(database: pool),
            signals: SQLiteSignalStore(database: pool),
            insights: SQLiteInsightStore(database: pool),
            oauth: SQLiteOAuthStore(database: pool),
            alerts: SQLiteAlertOutbox(database: pool),
            webhooks: SQLiteWebhookStore(database: pool),
            replayAnalysis: SQLiteReplayAnalysisStore(database: pool),
            leases: SQLiteLeaseStore(database: pool),
            database: SQLiteDatabaseHealth(database: pool),
            services: [checkpointer, EventIndexService(index: index, path: (directory as NSString).appendingPathComponent("event-index.snapshot"))]
        )
    }
}
