import PostgresNIO
import SextantCore

extension PostgresTelemetryStore {
    public func traces(_ filter: TraceFilter) async throws -> [TraceSummary] {
        var conditions = PostgresFilter()
        conditions.equal("p.slug", filter.time.projectSlug)
        if let from = filter.time.from { conditions.add { "coalesce(s.start_ms, s.received_at) >= \($0(from))" } }
        if let to = filter.time.to { conditions.add { "coalesce(s.start_ms, s.received_at) <= \($0(to))" } }
        if let service = filter.service { conditions.add { "s.trace_id IN (SELECT trace_id FROM spans WHERE service = \($0(service)))" } }
        // The root is the span without a parent; traces whose root has not arrived show none.
        var statement = conditions.query("""
            SELECT p.slug, s.trace_id, min(coalesce(s.start_ms, s.received_at)) AS started,
                max(coalesce(s.end_ms, s.start_ms, s.received_at)) AS ended, count(*),
                count(*) FILTER (WHERE s.status IN ('error', 'timeout')),
                max(CASE WHEN s.parent_span_id IS NULL THEN coalesce(s.description, s.operation) END),
                max(CASE WHEN s.parent_span_id IS NULL THEN s.service END)
            FROM spans s JOIN projects p ON p.id = s.project_id
            """)
        statement.append(" GROUP BY s.project_id, p.slug, s.trace_id")
        if let minimum = filter.minimumDurationMs {
            statement.append("""
                 HAVING max(coalesce(s.end_ms, s.start_ms, s.received_at)) - min(coalesce(s.start_ms, s.received_at)) >= \(statement.bind(minimum))
                """)
        }
        statement.append(" ORDER BY started DESC LIMIT \(statement.bind(Int64(max(0, filter.limit))))")
        return try await database.rows(statement.query).map { row in
            let (slug, traceID, started, ended, spans, errors, name, service) =
                try row.decode((String, String, Int64, Int64, Int64, Int64, String?, String?).self)
            return TraceSummary(
                projectSlug: slug, traceID: traceID, name: name, service: service, startMs: started,
                durationMs: Double(ended.subtractingReportingOverflow(started).partialValue), spanCount: Int(spans), errorCount: Int(errors))
        }
    }

    public func spans(traceID: String, projectSlug: String?) async throws -> [StoredSpan] {
        var conditions = PostgresFilter()
        conditions.equal("s.trace_id", traceID)
        conditions.equal("p.slug", projectSlug)
        var statement = conditions.query("""
            SELECT p.slug, s.trace_id, s.span_id, s.parent_span_id, s.operation, s.description, s.status, s.duration_ms, s.start_ms,
                s.end_ms, s.service, s.environment, s.tags, s.data
            FROM spans s JOIN projects p ON p.id = s.project_id
            """)
        statement.append(" ORDER BY coalesce(s.start_ms, s.received_at), s.id LIMIT 10000")
        return try await database.rows(statement.query).map { row in
            let columns = row.makeRandomAccess()
            var span = SpanRecord(traceID: try columns[1].decode(String.self), spanID: try columns[2].decode(String.self))
            span.parentSpanID = try columns[3].decode(String?.self)
            span.operation = try columns[4].decode(String?.self)
            span.description = try columns[5].decode(String?.self)
            span.status = try columns[6].decode(String?.self)
            span.durationMs = try columns[7].decode(Double?.self)
            span.startMs = try columns[8].decode(Int64?.self)
            span.endMs = try columns[9].decode(Int64?.self)
            span.service = try columns[10].decode(String?.self)
            span.environment = try columns[11].decode(String?.self)
            span.tagsJSON = try columns[12].decode(String?.self)
            span.dataJSON = try columns[13].decode(String?.self)
            return StoredSpan(projectSlug: try columns[0].decode(String.self), span: span)
        }
    }

    public func releases(_ filter: ReleaseFilter) async throws -> [ReleaseHealth] {
        func conditions() -> PostgresFilter {
            var conditions = PostgresFilter()
            conditions.equal("p.slug", filter.projectSlug)
            conditions.equal("r.environment", filter.environment)
            return conditions
        }
        var releases: [String: ReleaseHealth] = [:]
        func key(_ slug: String, _ version: String, _ environment: String) -> String { "\(slug)\u{0}\(version)\u{0}\(environment)" }
        let registered = conditions().query("""
            SELECT p.slug, r.version, r.environment, r.commit_sha, r.branch, r.author, r.message, r.first_seen, r.last_seen
            FROM releases r JOIN projects p ON p.id = r.project_id
            """)
        for row in try await database.rows(registered.query) {
            let (slug, version, environment, commit, branch, author, message, firstSeen, lastSeen) =
                try row.decode((String, String, String, String?, String?, String?, String?, Int64, Int64).self)
            var record = ReleaseRecord(version: version, environment: environment)
            record.commitSHA = commit
            record.branch = branch
            record.author = author
            record.message = message
            releases[key(slug, version, environment)] = ReleaseHealth(projectSlug: slug, release: record, firstSeen: firstSeen, lastSeen: lastSeen)
        }
        // Every started session registered its release, so each group below has a release row;
        // a session whose end arrived without its start has no release yet and is not counted.
        var sessionConditions = conditions()
        sessionConditions.add { _ in "r.release IS NOT NULL" }
        var sessions = sessionConditions.query("""
            SELECT p.slug, r.release, coalesce(r.environment, '\(ReleaseRecord.defaultEnvironment)'), r.status, r.ended_at IS NULL, count(*),
                max(r.received_at)
            FROM release_sessions r JOIN projects p ON p.id = r.project_id
            """)
        sessions.append(" GROUP BY p.slug, r.release, 3, r.status, r.ended_at IS NULL")
        for row in try await database.rows(sessions.query) {
            let (slug, release, environment, statusText, isOpen, count, received) =
                try row.decode((String, String, String, String, Bool, Int64, Int64).self)
            let groupKey = key(slug, release, environment)
            guard var health = releases[groupKey] else { continue }
            let status = ReleaseSessionStatus(rawValue: statusText) ?? .ok
            health.sessions[status, default: 0] += Int(count)
            if isOpen { health.openSessions += Int(count) }
            health.lastSeen = max(health.lastSeen, received)
            releases[groupKey] = health
        }
        return releases.values.sorted { ($0.firstSeen, $0.release.version) > ($1.firstSeen, $1.release.version) }
    }
}
