import Foundation
import PostgresNIO
import SextantCore

public struct PostgresWebhookStore: WebhookStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    static let select = "SELECT w.*, p.slug AS project_slug FROM webhooks w JOIN projects p ON p.id = w.project_id"

    public func webhooks(projectSlug: String?) async throws -> [Webhook] {
        var statement = PostgresQueryBuilder(Self.select)
        if let projectSlug { statement.append(" WHERE p.slug = \(statement.bind(projectSlug))") }
        statement.append(" ORDER BY p.slug, w.url")
        return try await database.rows(statement.query).map(Self.webhook(from:))
    }

    public func webhook(id: String) async throws -> Webhook? {
        var statement = PostgresQueryBuilder(Self.select)
        statement.append(" WHERE w.id = \(statement.bind(id))")
        return try await database.rows(statement.query).first.map(Self.webhook(from:))
    }

    public func addWebhook(projectSlug: String, url: String, events: [AlertEvent], source: RecordSource, now: Int64) async throws -> Webhook {
        let logger = database.logger
        return try await database.transaction { tx in
            guard let projectID = try await tx.rows("SELECT id FROM projects WHERE slug = \(projectSlug)")
                .first?.decode(Int64.self) else {
                throw TenancyError.unknownProject(projectSlug)
            }
            try await Self.upsert(url: url, events: events, projectID: projectID, source: source, now: now, tx: tx)
            var statement = PostgresQueryBuilder(Self.select)
            statement.append(" WHERE w.project_id = \(statement.bind(projectID)) AND w.url = \(statement.bind(url))")
            return try Self.webhook(from: try await tx.rows(statement.query)[0])
        }
    }

    public func deleteWebhook(id: String) async throws -> Bool {
        try await !database.rows("DELETE FROM webhooks WHERE id = \(id) RETURNING 1").isEmpty
    }

    /// The configuration file's webhooks of a project, replacing the file's earlier list.
    static func replaceConfigured(_ hooks: [WebhookConfig], projectID: Int64, now: Int64, tx: PostgresTransaction) async throws {
        try await tx.execute("DELETE FROM webhooks WHERE project_id = \(projectID) AND source = 'config'")
        for hook in hooks {
            try await upsert(url: hook.url, events: hook.events, projectID: projectID, source: .configuration, now: now, tx: tx)
        }
    }

    private static func upsert(
        url: String, events: [AlertEvent], projectID: Int64, source: RecordSource, now: Int64, tx: PostgresTransaction
    ) async throws {
        try await tx.execute("""
            INSERT INTO webhooks (id, project_id, url, events, source, created_at)
            VALUES (\(UUID().uuidString.lowercased()), \(projectID), \(url), \(StoredList.encode(events.map(\.rawValue))), \(source.rawValue), \(now))
            ON CONFLICT (project_id, url) DO UPDATE SET events = excluded.events, source = excluded.source
            """)
    }

    static func webhook(from row: PostgresRow) throws -> Webhook {
        Webhook(
            id: try row.column("id"), projectSlug: try row.column("project_slug"), url: try row.column("url"),
            events: StoredList.decode(try row.column("events")).compactMap(AlertEvent.init(rawValue:)), source: try row.column("source"),
            createdAt: try row.column("created_at"))
    }
}
