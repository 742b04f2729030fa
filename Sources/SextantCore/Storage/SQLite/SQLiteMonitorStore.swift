import Foundation
import GRDB

public struct SQLiteMonitorStore: MonitorStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public func applyConfiguration(_ organizations: [OrganizationConfig], now: Int64) async throws {
        try await database.write { db in
            for project in organizations.flatMap(\.projects) {
                guard let projectID = try Int64.fetchOne(db, sql: "SELECT id FROM projects WHERE slug = ?", arguments: [project.slug]) else { continue }
                for monitor in project.monitors {
                    try db.execute(sql: """
                        INSERT INTO monitors (id, project_id, slug, schedule, grace_seconds, source, created_at)
                        VALUES (?, ?, ?, ?, ?, 'config', ?)
                        ON CONFLICT (project_id, slug) DO UPDATE SET schedule = excluded.schedule, grace_seconds = excluded.grace_seconds
                        """, arguments: [UUID().uuidString.lowercased(), projectID, monitor.slug, monitor.schedule, monitor.graceSeconds, now])
                }
            }
        }
    }

    public func create(projectSlug: String, slug: String, schedule: String, graceSeconds: Int64, source: RecordSource, now: Int64) async throws -> Monitor {
        do {
            _ = try MonitorSchedule(parsing: schedule)
        } catch {
            throw MonitorError.invalidSchedule(error.description)
        }
        // One statement decides, as for projects: two creations of one slug make one monitor.
        return try await database.write { db in
            let id = UUID().uuidString.lowercased()
            let created = try Bool.fetchOne(db, sql: """
                INSERT INTO monitors (id, project_id, slug, schedule, grace_seconds, source, created_at)
                SELECT ?, id, ?, ?, ?, ?, ? FROM projects WHERE slug = ?
                ON CONFLICT (project_id, slug) DO NOTHING
                RETURNING 1
                """, arguments: [id, slug, schedule, graceSeconds, source.rawValue, now, projectSlug]) ?? false
            guard created else {
                guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM projects WHERE slug = ?)", arguments: [projectSlug]) == true else {
                    throw TenancyError.unknownProject(projectSlug)
                }
                throw MonitorError.duplicate(slug)
            }
            return try Self.fetch(db, whereSQL: "WHERE m.id = ?", arguments: [id])[0]
        }
    }

    public func configure(projectID: Int64, slug: String, schedule: String, graceSeconds: Int64, now: Int64) async throws -> Monitor {
        do {
            _ = try MonitorSchedule(parsing: schedule)
        } catch {
            throw MonitorError.invalidSchedule(error.description)
        }
        return try await database.write { db in
            try db.execute(sql: """
                INSERT INTO monitors (id, project_id, slug, schedule, grace_seconds, source, created_at) VALUES (?, ?, ?, ?, ?, 'sdk', ?)
                ON CONFLICT (project_id, slug) DO UPDATE SET schedule = excluded.schedule, grace_seconds = excluded.grace_seconds
                """, arguments: [UUID().uuidString.lowercased(), projectID, slug, schedule, graceSeconds, now])
            return try Self.fetch(db, whereSQL: "WHERE m.project_id = ? AND m.slug = ?", arguments: [projectID, slug])[0]
        }
    }

    public func monitors(projectSlug: String?) async throws -> [Monitor] {
        try await database.read { db in try Self.fetch(db, whereSQL: "WHERE ?1 IS NULL OR p.slug = ?1", arguments: [projectSlug]) }
    }

    public func monitor(projectID: Int64, slug: String) async throws -> Monitor? {
        try await database.read { db in try Self.fetch(db, whereSQL: "WHERE m.project_id = ? AND m.slug = ?", arguments: [projectID, slug]).first }
    }

    public func delete(projectSlug: String, slug: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: """
                DELETE FROM monitors WHERE slug = ? AND project_id = (SELECT id FROM projects WHERE slug = ?)
                """, arguments: [slug, projectSlug])
            return db.changesCount > 0
        }
    }

    public func monitor(id: String) async throws -> Monitor? {
        try await database.read { db in try Self.fetch(db, whereSQL: "WHERE m.id = ?", arguments: [id]).first }
    }

    public func delete(id: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM monitors WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    public func setPaused(id: String, paused: Bool, now: Int64) async throws -> Monitor? {
        try await database.write { db in
            // Resuming counts the next run from now, not from a heartbeat long before the pause.
            try db.execute(sql: paused
                ? "UPDATE monitors SET paused_at = coalesce(paused_at, ?1), status = 'paused', next_expected_at = NULL WHERE id = ?2"
                : "UPDATE monitors SET resumed_at = CASE WHEN paused_at IS NULL THEN resumed_at ELSE ?1 END, paused_at = NULL WHERE id = ?2",
                arguments: [now, id])
            return try Self.fetch(db, whereSQL: "WHERE m.id = ?", arguments: [id]).first
        }
    }

    public func heartbeats(monitorID: String, limit: Int) async throws -> [Heartbeat] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT ts, status, duration_ms, message FROM heartbeats WHERE monitor_id = ? ORDER BY ts DESC, id DESC LIMIT ?",
                             arguments: [monitorID, limit]).map { row in
                Heartbeat(ts: row["ts"], status: HeartbeatStatus(rawValue: row["status"]) ?? .failed, durationMs: row["duration_ms"], message: row["message"])
            }
        }
    }

    public func update(_ evaluations: [String: MonitorEvaluation]) async throws {
        try await database.write { db in
            for (id, evaluation) in evaluations.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "UPDATE monitors SET status = ?, next_expected_at = ? WHERE id = ?",
                               arguments: [evaluation.status.rawValue, evaluation.nextExpectedAt, id])
            }
        }
    }

    static func fetch(_ db: Database, whereSQL: String, arguments: StatementArguments) throws -> [Monitor] {
        try Row.fetchAll(db, sql: """
            SELECT m.*, p.slug AS project_slug FROM monitors m JOIN projects p ON p.id = m.project_id \(whereSQL) ORDER BY p.slug, m.slug
            """, arguments: arguments).map { row in
            Monitor(
                id: row["id"], projectID: row["project_id"], projectSlug: row["project_slug"], slug: row["slug"], schedule: row["schedule"],
                graceSeconds: row["grace_seconds"], createdAt: row["created_at"],
                status: MonitorStatus(rawValue: row["status"]) ?? .pending, lastPingAt: row["last_ping_at"],
                lastStatus: (row["last_status"] as String?).flatMap(HeartbeatStatus.init(rawValue:)),
                lastDurationMs: row["last_duration_ms"], nextExpectedAt: row["next_expected_at"], pausedAt: row["paused_at"], resumedAt: row["resumed_at"],
                source: row["source"])
        }
    }
}
