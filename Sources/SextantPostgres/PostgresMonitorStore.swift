import Foundation
import PostgresNIO
import SextantCore

public struct PostgresMonitorStore: MonitorStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    public func applyConfiguration(_ organizations: [OrganizationConfig], now: Int64) async throws {
        try await database.transaction { tx in
            for project in organizations.flatMap(\.projects) {
                guard let projectID = try await tx.rows("SELECT id FROM projects WHERE slug = \(project.slug)").first?.decode(Int64.self) else { continue }
                for monitor in project.monitors.sorted(by: { $0.slug < $1.slug }) {
                    try await tx.execute("""
                        INSERT INTO monitors (id, project_id, slug, schedule, grace_seconds, source, created_at)
                        VALUES (\(UUID().uuidString.lowercased()), \(projectID), \(monitor.slug), \(monitor.schedule), \(monitor.graceSeconds), 'config', \(now))
                        ON CONFLICT (project_id, slug) DO UPDATE SET schedule = excluded.schedule, grace_seconds = excluded.grace_seconds
                        """)
                }
            }
        }
    }

    public func create(projectSlug: String, slug: String, schedule: String, graceSeconds: Int64, source: RecordSource, now: Int64) async throws -> Monitor {
        try Self.validate(schedule)
        // One statement decides, as for projects: two creations of one slug make one monitor.
        let id = UUID().uuidString.lowercased()
        let created = try await !database.rows("""
            INSERT INTO monitors (id, project_id, slug, schedule, grace_seconds, source, created_at)
            SELECT \(id), id, \(slug), \(schedule), \(graceSeconds), \(source.rawValue), \(now) FROM projects WHERE slug = \(projectSlug)
            ON CONFLICT (project_id, slug) DO NOTHING
            RETURNING 1
            """).isEmpty
        guard created else {
            guard try await database.rows("SELECT EXISTS (SELECT 1 FROM projects WHERE slug = \(projectSlug))")[0].decode(Bool.self) else {
                throw TenancyError.unknownProject(projectSlug)
            }
            throw MonitorError.duplicate(slug)
        }
        return try await fetch { "m.id = \($0(id))" }[0]
    }

    public func configure(projectID: Int64, slug: String, schedule: String, graceSeconds: Int64, now: Int64) async throws -> Monitor {
        try Self.validate(schedule)
        try await database.execute("""
            INSERT INTO monitors (id, project_id, slug, schedule, grace_seconds, source, created_at)
            VALUES (\(UUID().uuidString.lowercased()), \(projectID), \(slug), \(schedule), \(graceSeconds), 'sdk', \(now))
            ON CONFLICT (project_id, slug) DO UPDATE SET schedule = excluded.schedule, grace_seconds = excluded.grace_seconds
            """)
        return try await fetch { "m.project_id = \($0(projectID)) AND m.slug = \($0(slug))" }[0]
    }

    public func monitors(projectSlug: String?) async throws -> [Monitor] {
        guard let projectSlug else { return try await fetch { _ in "true" } }
        return try await fetch { "p.slug = \($0(projectSlug))" }
    }

    public func monitor(projectID: Int64, slug: String) async throws -> Monitor? {
        try await fetch { "m.project_id = \($0(projectID)) AND m.slug = \($0(slug))" }.first
    }

    public func delete(projectSlug: String, slug: String) async throws -> Bool {
        try await !database.rows("""
            DELETE FROM monitors WHERE slug = \(slug) AND project_id = (SELECT id FROM projects WHERE slug = \(projectSlug)) RETURNING 1
            """).isEmpty
    }

    public func monitor(id: String) async throws -> Monitor? {
        try await fetch { "m.id = \($0(id))" }.first
    }

    public func delete(id: String) async throws -> Bool {
        try await !database.rows("DELETE FROM monitors WHERE id = \(id) RETURNING 1").isEmpty
    }

    public func setPaused(id: String, paused: Bool, now: Int64) async throws -> Monitor? {
        // Resuming counts the next run from now, not from a heartbeat long before the pause.
        if paused {
            try await database.execute("""
                UPDATE monitors SET paused_at = coalesce(paused_at, \(now)), status = 'paused', next_expected_at = NULL WHERE id = \(id)
                """)
        } else {
            try await database.execute("""
                UPDATE monitors SET resumed_at = CASE WHEN paused_at IS NULL THEN resumed_at ELSE \(now) END, paused_at = NULL WHERE id = \(id)
                """)
        }
        return try await monitor(id: id)
    }

    public func heartbeats(monitorID: String, limit: Int) async throws -> [Heartbeat] {
        try await database.rows("""
            SELECT ts, status, duration_ms, message FROM heartbeats WHERE monitor_id = \(monitorID) ORDER BY ts DESC, id DESC LIMIT \(Int64(limit))
            """).map { row in
            let (ts, status, duration, message) = try row.decode((Int64, String, Double?, String?).self)
            return Heartbeat(ts: ts, status: HeartbeatStatus(rawValue: status) ?? .failed, durationMs: duration, message: message)
        }
    }

    public func update(_ evaluations: [String: MonitorEvaluation]) async throws {
        try await database.transaction { tx in
            // In id order, so this pass and a heartbeat's commit take the rows in one order.
            for (id, evaluation) in evaluations.sorted(by: { $0.key < $1.key }) {
                try await tx.execute("""
                    UPDATE monitors SET status = \(evaluation.status.rawValue), next_expected_at = \(evaluation.nextExpectedAt) WHERE id = \(id)
                    """)
            }
        }
    }

    private static func validate(_ schedule: String) throws {
        do {
            _ = try MonitorSchedule(parsing: schedule)
        } catch {
            throw MonitorError.invalidSchedule(error.description)
        }
    }

    private func fetch(_ condition: (_ bind: (any PostgresDynamicTypeEncodable) -> String) -> String) async throws -> [Monitor] {
        var filter = PostgresFilter()
        filter.add(condition)
        var statement = filter.query("SELECT m.*, p.slug AS project_slug FROM monitors m JOIN projects p ON p.id = m.project_id")
        statement.append(" ORDER BY p.slug, m.slug")
        return try await database.rows(statement.query).map { row in
            Monitor(
                id: try row.column("id"), projectID: try row.column("project_id"), projectSlug: try row.column("project_slug"),
                slug: try row.column("slug"), schedule: try row.column("schedule"), graceSeconds: try row.column("grace_seconds"),
                createdAt: try row.column("created_at"), status: MonitorStatus(rawValue: try row.column("status")) ?? .pending,
                lastPingAt: try row.column("last_ping_at"),
                lastStatus: (try row.column("last_status", as: String?.self)).flatMap(HeartbeatStatus.init(rawValue:)),
                lastDurationMs: try row.column("last_duration_ms"), nextExpectedAt: try row.column("next_expected_at"),
                pausedAt: try row.column("paused_at"), resumedAt: try row.column("resumed_at"), source: try row.column("source"))
        }
    }
}
