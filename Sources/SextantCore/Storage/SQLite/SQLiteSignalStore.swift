import Foundation
import GRDB

public struct SQLiteSignalStore: SignalStore {
    let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    static let selectSignals = "SELECT signals.*, projects.slug AS project_slug FROM signals JOIN projects ON projects.id = signals.project_id"

    public func signals(organizationID: String?, after: PageCursor?, limit: Int) async throws -> Page<Signal> {
        try await database.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            SQLiteKeysetPage.equal("signals.organization_id", organizationID, into: &conditions, &arguments)
            return try SQLiteKeysetPage.fetch(
                db, select: Self.selectSignals, table: "signals", conditions: conditions, arguments: arguments, after: after, limit: limit,
                item: Self.signal(from:), key: { PageCursor(createdAt: $0.createdAt, id: $0.id) })
        }
    }

    public func createSignal(projectSlug: String, name: String, prompt: String?, match: SignalMatch, source: RecordSource, now: Int64) async throws -> Signal {
        try await database.write { db in
            guard let projectID = try Int64.fetchOne(db, sql: "SELECT id FROM projects WHERE slug = ?", arguments: [projectSlug]) else {
                throw TenancyError.unknownProject(projectSlug)
            }
            let id = try Self.upsert(name: name, prompt: prompt, match: match, projectID: projectID, source: source, now: now, db: db)
            return try Row.fetchOne(db, sql: "\(Self.selectSignals) WHERE signals.id = ?", arguments: [id]).map(Self.signal(from:))!
        }
    }

    public func deleteSignal(id: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM signals WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Creates or updates the project's signal of that name, keeping its counts; returns its id.
    @discardableResult
    static func upsert(name: String, prompt: String?, match: SignalMatch, projectID: Int64, source: RecordSource, now: Int64, db: Database) throws -> String {
        try db.execute(sql: """
            INSERT INTO signals (id, organization_id, project_id, name, prompt, status, match, source, created_at)
            SELECT ?, organization_id, id, ?, ?, 'active', ?, ?, ? FROM projects WHERE id = ?
            ON CONFLICT (project_id, name) DO UPDATE SET prompt = excluded.prompt, match = excluded.match, status = 'active'
            """, arguments: [UUID().uuidString.lowercased(), name, prompt, match.jsonText, source.rawValue, now, projectID])
        return try String.fetchOne(db, sql: "SELECT id FROM signals WHERE project_id = ? AND name = ?", arguments: [projectID, name])!
    }

    static func signal(from row: Row) -> Signal {
        var signal = Signal(
            id: row["id"], organizationID: row["organization_id"], projectSlug: row["project_slug"], name: row["name"],
            prompt: row["prompt"], status: Signal.Status(rawValue: row["status"]) ?? .active,
            match: (try? SignalMatch(jsonText: row["match"])) ?? SignalMatch(), createdAt: row["created_at"],
            matchCount: row["match_count"], lastMatchAt: row["last_match_at"])
        signal.source = row["source"]
        return signal
    }
}
