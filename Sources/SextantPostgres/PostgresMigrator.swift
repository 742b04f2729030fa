import Foundation
import Logging
import PostgresNIO

/// Brings the schema up to date. Nodes starting together take turns on an advisory lock; each
/// migration runs in its own transaction and is recorded there, so it applies exactly once.
enum PostgresMigrator {
    static func migrate(_ database: PostgresBackend) async throws {
        let logger = database.logger
        try await database.client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(PostgresAdvisoryLock.migrations))", logger: logger)
            do {
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS sextant_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                    logger: logger)
                let applied = Set(try await connection.rows("SELECT name FROM sextant_migrations", logger: logger).map { try $0.decode(String.self) })
                for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                    // One transaction per migration: applied and recorded together, or not at all.
                    try await connection.query("BEGIN", logger: logger)
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO sextant_migrations (name) VALUES (\(migration.name))", logger: logger)
                    try await connection.query("COMMIT", logger: logger)
                    logger.info("applied PostgreSQL migration \(migration.name)")
                }
            } catch {
                // A script that failed part-way leaves its transaction open and aborted.
                _ = try? await connection.query("ROLLBACK", logger: logger)
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(PostgresAdvisoryLock.migrations))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(PostgresAdvisoryLock.migrations))", logger: logger)
        }
    }

    /// A script's statements: each ends with `;` at the end of a line (the schema is written so).
    static func statements(of script: String) -> [String] {
        script.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
