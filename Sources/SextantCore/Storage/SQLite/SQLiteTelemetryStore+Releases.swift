import GRDB

extension SQLiteTelemetryStore {
    public func releases(_ filter: ReleaseFilter) async throws -> [ReleaseHealth] {
        var conditions = SQLConditions()
        conditions.add("p.slug = ?", filter.projectSlug)
        conditions.add("r.environment = ?", filter.environment)
        let where_ = conditions.whereClause
        let arguments = conditions.arguments
        return try await database.read { db in
            var releases: [String: ReleaseHealth] = [:]
            func key(_ slug: String, _ version: String, _ environment: String) -> String { "\(slug)\u{0}\(version)\u{0}\(environment)" }
            let registered = try Row.fetchCursor(db, sql: """
                SELECT p.slug, r.version, r.environment, r.commit_sha, r.branch, r.author, r.message, r.first_seen, r.last_seen
                FROM releases r JOIN projects p ON p.id = r.project_id \(where_)
                """, arguments: arguments)
            while let row = try registered.next() {
                var record = ReleaseRecord(version: row[1], environment: row[2])
                record.commitSHA = row[3]
                record.branch = row[4]
                record.author = row[5]
                record.message = row[6]
                releases[key(row[0], record.version, record.environment)] = ReleaseHealth(
                    projectSlug: row[0], release: record, firstSeen: row[7], lastSeen: row[8])
            }
            // Every started session registered its release, so each group below has a release row;
            // a session whose end arrived without its start has no release yet and is not counted.
            let sessions = try Row.fetchCursor(db, sql: """
                SELECT p.slug, r.release, coalesce(r.environment, '\(ReleaseRecord.defaultEnvironment)'), r.status, r.ended_at IS NULL, count(*), max(r.received_at)
                FROM release_sessions r JOIN projects p ON p.id = r.project_id
                \(where_.isEmpty ? "WHERE" : where_ + " AND") r.release IS NOT NULL
                GROUP BY p.slug, r.release, 3, r.status, r.ended_at IS NULL
                """, arguments: arguments)
            while let row = try sessions.next() {
                let groupKey = key(row[0], row[1], row[2])
                guard var release = releases[groupKey] else { continue }
                let status = ReleaseSessionStatus(rawValue: row[3]) ?? .ok
                let count: Int = row[5]
                release.sessions[status, default: 0] += count
                if row[4] as Bool { release.openSessions += count }
                release.lastSeen = max(release.lastSeen, row[6])
                releases[groupKey] = release
            }
            return releases.values.sorted { ($0.firstSeen, $0.release.version) > ($1.firstSeen, $1.release.version) }
        }
    }
}
