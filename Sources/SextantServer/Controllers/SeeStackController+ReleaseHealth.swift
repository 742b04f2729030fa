import Hummingbird
import SextantCore

/// What allstak reports beside errors: releases it registers at start-up, one release-health
/// session per process (start and end), and the database queries it timed.
extension SeeStackController {
    @Sendable func release(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        var problems = FieldProblems()
        let version = problems.nonBlank(json["version"], "version")
        let environment = problems.optionalString(json["environment"], "environment")
        let commitSHA = problems.optionalString(json["commitSha"], "commitSha")
        let branch = problems.optionalString(json["branch"], "branch")
        let author = problems.optionalString(json["author"], "author")
        let message = problems.optionalString(json["message"], "message")
        guard problems.isEmpty, let version else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        var release = ReleaseRecord(version: version, environment: environment ?? ReleaseRecord.defaultEnvironment)
        release.commitSHA = commitSHA
        release.branch = branch
        release.author = author
        release.message = message.map(Scrubber.scrubText)
        let now = clock.nowMilliseconds()
        try await writer.submitOrRefuse(.releases(ReleaseBatch(projectID: credential.project.id, receivedAt: now, releases: [release])))
        metrics.ingested(route: "/ingest/v1/releases", project: credential.project.slug, items: 1, bytes: bytes)
        return SeeStackEnvelope.success(context: context, clock: clock) { writer in
            writer.key("version"); writer.string(release.version)
            writer.key("environment"); writer.string(release.environment)
        }
    }

    @Sendable func sessionStart(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        var problems = FieldProblems()
        let sessionID = problems.nonBlank(json["sessionId"], "sessionId")
        let release = problems.nonBlank(json["release"], "release")
        var fields: [String: String] = [:]
        for field in ["environment", "userId", "sdkName", "sdkVersion", "platform"] {
            fields[field] = problems.optionalString(json[field], field)
        }
        guard problems.isEmpty, let sessionID, let release else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        let now = clock.nowMilliseconds()
        var session = ReleaseSessionUpdate(sessionID: sessionID, phase: .started(release: release), ts: now)
        session.environment = fields["environment"]
        session.userID = fields["userId"]
        session.sdk = fields["sdkName"].map { name in fields["sdkVersion"].map { "\(name)/\($0)" } ?? name }
        session.platform = fields["platform"]
        return try await submit(session, credential: credential, route: "/ingest/v1/sessions/start", bytes: bytes, context: context)
    }

    @Sendable func sessionEnd(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        var problems = FieldProblems()
        let sessionID = problems.nonBlank(json["sessionId"], "sessionId")
        let statusText = problems.nonBlank(json["status"], "status")
        let status = statusText.flatMap { ReleaseSessionStatus(rawValue: $0.lowercased()) }
        if statusText != nil, status == nil {
            problems.add("status", "must be one of \(ReleaseSessionStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let duration = problems.optionalNumber(json["durationMs"], "durationMs", in: WireRange.durationMs)
        guard problems.isEmpty, let sessionID, let status else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        let session = ReleaseSessionUpdate(sessionID: sessionID, phase: .ended(status: status, durationMs: duration), ts: clock.nowMilliseconds())
        return try await submit(session, credential: credential, route: "/ingest/v1/sessions/end", bytes: bytes, context: context)
    }

    private func submit(
        _ session: ReleaseSessionUpdate, credential: IngestCredential, route: String, bytes: Int, context: AppRequestContext
    ) async throws -> Response {
        try await writer.submitOrRefuse(.releases(ReleaseBatch(projectID: credential.project.id, receivedAt: session.ts, sessions: [session])))
        metrics.ingested(route: route, project: credential.project.slug, items: 1, bytes: bytes)
        return SeeStackEnvelope.success(context: context, clock: clock) { writer in
            writer.key("sessionId"); writer.string(session.sessionID)
        }
    }

    static let queryStatuses: Set<String> = ["success", "error"]

    @Sendable func databaseQueries(_ json: JSONValue, credential: IngestCredential, bytes: Int, context: AppRequestContext) async throws -> Response {
        var problems = FieldProblems()
        let items = json["queries"]?.arrayValue ?? []
        if !(1...100).contains(items.count) { problems.add("queries", "size must be between 1 and 100") }
        let now = clock.nowMilliseconds()
        var records: [DatabaseQueryRecord] = []
        for (index, item) in items.enumerated() {
            let field = "queries[\(index)]"
            // Clients strip literals; one that does not still must not store a secret it inlined.
            let normalized = problems.nonBlank(item["normalizedQuery"], "\(field).normalizedQuery").map(Scrubber.scrubText)
            let hash = problems.optionalString(item["queryHash"], "\(field).queryHash")
            let type = problems.optionalString(item["queryType"], "\(field).queryType")
            let duration = problems.requiredNumber(item["durationMs"], "\(field).durationMs", in: WireRange.durationMs)
            let ts = problems.optionalInteger(item["timestampMillis"], "\(field).timestampMillis", in: WireRange.timestampMs)
            let status = problems.optionalString(item["status"], "\(field).status")
            if let status, !Self.queryStatuses.contains(status) { problems.add("\(field).status", "must be success or error") }
            let rows = problems.optionalInteger(item["rowsAffected"], "\(field).rowsAffected", in: -1...WireRange.size.upperBound)
            var strings: [String: String] = [:]
            for name in ["errorMessage", "databaseName", "databaseType", "service", "environment", "traceId", "spanId", "parentSpanId"] {
                strings[name] = problems.optionalString(item[name], "\(field).\(name)").flatMap { $0.isEmpty ? nil : $0 }
            }
            guard let normalized, let duration else { continue }
            var record = DatabaseQueryRecord(
                ts: ts ?? now, normalizedQuery: normalized,
                queryHash: hash.flatMap { $0.isEmpty ? nil : $0 } ?? String(Secrets.sha256Hex(normalized).prefix(16)),
                queryType: type.flatMap { $0.isEmpty ? nil : $0.uppercased() } ?? DatabaseQueryRecord.queryType(of: normalized),
                durationMs: duration, failed: status == "error")
            record.errorMessage = strings["errorMessage"].map(Scrubber.scrubText)
            record.databaseName = strings["databaseName"]
            record.databaseType = strings["databaseType"]
            record.service = strings["service"]
            record.environment = strings["environment"]
            record.traceID = strings["traceId"]
            record.spanID = strings["spanId"]
            record.parentSpanID = strings["parentSpanId"]
            record.rowsAffected = rows
            records.append(record)
        }
        guard problems.isEmpty else { throw SeeStackEnvelope.validation(problems.details, context: context, clock: clock) }
        try await writer.submitOrRefuse(.databaseQueries(DatabaseQueryBatch(projectID: credential.project.id, receivedAt: now, queries: records)))
        metrics.ingested(route: "/ingest/v1/db", project: credential.project.slug, items: records.count, bytes: bytes)
        return SeeStackEnvelope.accepted(records.count)
    }
}
