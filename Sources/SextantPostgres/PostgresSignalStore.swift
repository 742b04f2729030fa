import Foundation
import PostgresNIO
import SextantCore

public struct PostgresSignalStore: SignalStore {
    let database: PostgresBackend

    public init(database: PostgresBackend) {
        self.database = database
    }

    static let selectSignals = "SELECT signals.*, projects.slug AS project_slug FROM signals JOIN projects ON projects.id = signals.project_id"

    public func signals(organizationID: String?, after: PageCursor?, limit: Int) async throws -> Page<Signal> {
        try await PostgresKeysetPage.fetch(
            database, select: Self.selectSignals, table: "signals", filter: .equal("signals.organization_id", organizationID), after: after,
            limit: limit, item: Self.signal(from:), key: { PageCursor(createdAt: $0.createdAt, id: $0.id) })
    }

    public func createSignal(projectSlug: String, name: String, prompt: String?, match: SignalMatch, source: RecordSource, now: Int64) async throws -> Signal {
        try await database.transaction { tx in
            guard let projectID = try await tx.rows("SELECT id FROM projects WHERE slug = \(projectSlug)")
                .first?.decode(Int64.self) else {
                throw TenancyError.unknownProject(projectSlug)
            }
            let id = try await Self.upsert(name: name, prompt: prompt, match: match, projectID: projectID, source: source, now: now,
                                           tx: tx)
            var statement = PostgresQueryBuilder(Self.selectSignals)
            statement.append(" WHERE signals.id = \(statement.bind(id))")
            return try Self.signal(from: try await tx.rows(statement.query)[0])
        }
    }

    public func deleteSignal(id: String) async throws -> Bool {
        try await !database.rows("DELETE FROM signals WHERE id = \(id) RETURNING 1").isEmpty
    }

    /// Creates or updates the project's signal of that name, keeping its counts; returns its id.
    @discardableResult
    static func upsert(
        name: String, prompt: String?, match: SignalMatch, projectID: Int64, source: RecordSource, now: Int64,
        tx: PostgresTransaction
    ) async throws -> String {
        let rows = try await tx.rows("""
            INSERT INTO signals (id, organization_id, project_id, name, prompt, status, match, source, created_at)
            SELECT \(UUID().uuidString.lowercased()), organization_id, id, \(name), \(prompt), 'active', \(match.jsonText), \(source.rawValue), \(now)
            FROM projects WHERE id = \(projectID)
            ON CONFLICT (project_id, name) DO UPDATE SET prompt = excluded.prompt, match = excluded.match, status = 'active'
            RETURNING id
            """)
        return try rows[0].decode(String.self)
    }

    static func signal(from row: PostgresRow) throws -> Signal {
        var signal = Signal(
            id: try row.column("id"), organizationID: try row.column("organization_id"), projectSlug: try row.column("project_slug"),
            name: try row.column("name"), prompt: try row.column("prompt"),
            status: Signal.Status(rawValue: try row.column("status")) ?? .active,
            match: (try? SignalMatch(jsonText: try row.column("match"))) ?? SignalMatch(), createdAt: try row.column("created_at"),
            matchCount: try row.column("match_count"), lastMatchAt: try row.column("last_match_at"))
        signal.source = try row.column("source")
        return signal
    }
}
