import Foundation
import GRDB

public struct SQLiteWebhookStore: WebhookStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    static let select = "SELECT w.*, p.slug AS project_slug FROM webhooks w JOIN projects p ON p.id = w.project_id"

    public func webhooks(projectSlug: String?) async throws -> [Webhook] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "\(Self.select) WHERE ?1 IS NULL OR p.slug = ?1 ORDER BY p.slug, w.url", arguments: [projectSlug])
                .map(Self.webhook(from:))
        }
    }

    public func webhook(id: String) async throws -> Webhook? {
        try await database.read { db in try Row.fetchOne(db, sql: "\(Self.select) WHERE w.id = ?", arguments: [id]).map(Self.webhook(from:)) }
    }

    public func addWebhook(projectSlug: String, url: String, events: [AlertEvent], source: RecordSource, now: Int64) async throws -> Webhook {
        try await database.write { db in
            guard let projectID = try Int64.fetchOne(db, sql: "SELECT id FROM projects WHERE slug = ?", arguments: [projectSlug]) else {
                throw TenancyError.unknownProject(projectSlug)
            }
            try Self.upsert(url: url, events: events, projectID: projectID, source: source, now: now, db: db)
            return try Row.fetchOne(db, sql: "\(Self.select) WHERE w.project_id = ? AND w.url = ?", arguments: [projectID, url]).map(Self.webhook(from:))!
        }
    }

    public func deleteWebhook(id: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// The configuration file's webhooks of a project, replacing the file's earlier list.
    static func replaceConfigured(_ hooks: [WebhookConfig], projectID: Int64, now: Int64, db: Database) throws {
        try db.execute(sql: "DELETE FROM webhooks WHERE project_id = ? AND source = 'config'", arguments: [projectID])
        for hook in hooks {
            try upsert(url: hook.url, events: hook.events, projectID: projectID, source: .configuration, now: now, db: db)
        }
    }

    private static func upsert(url: String, events: [AlertEvent], projectID: Int64, source: RecordSource, now: Int64, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO webhooks (id, project_id, url, events, source, created_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (project_id, url) DO UPDATE SET events = excluded.events, source = excluded.source
            """, arguments: [UUID().uuidString.lowercased(), projectID, url, StoredList.encode(events.map(\.rawValue)), source.rawValue, now])
    }

    static func webhook(from row: Row) -> Webhook {
        Webhook(
            id: row["id"], projectSlug: row["project_slug"], url: row["url"],
            events: StoredList.decode(row["events"]).compactMap(AlertEvent.init(rawValue:)), source: row["source"],
            createdAt: row["created_at"])
    }
}
