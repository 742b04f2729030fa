import AsyncAlgorithms
import Logging
import NIOCore
import ServiceLifecycle

/// Reads quiet replay sessions and turns their rage and dead clicks into issues keyed by project,
/// page path and target, with the session as sample (API.md §8). A session that resumes later is
/// analyzed again from the start; only clicks after what was already judged are counted.
public struct ReplayAnalyzer: Service {
    let sessions: any ReplayAnalysisStore
    let analytics: any AnalyticsStore
    let blobs: any BlobStore
    let issues: any IssueStore
    let clock: WallClock
    let quietPeriodMs: Int64
    let interval: Duration
    let logger: Logger
    /// Set in a server: the pass runs only on the node that holds this work's lease.
    let leases: LeaseKeeper?

    public init(
        store: SextantStore, clock: WallClock, quietPeriod: Duration = .seconds(120), interval: Duration = .seconds(15), logger: Logger,
        leases: LeaseKeeper? = nil
    ) {
        sessions = store.replayAnalysis
        analytics = store.analytics
        blobs = store.blobs
        issues = store.issues
        self.clock = clock
        quietPeriodMs = quietPeriod.milliseconds
        self.interval = interval
        self.logger = logger
        self.leases = leases
    }

    /// One pass over sessions that went quiet; returns how many were analyzed.
    @discardableResult
    public func analyzePending(since: Int64) async throws -> Int {
        let now = clock.nowMilliseconds()
        let pending = try await sessions.sessionsAwaitingAnalysis(since: since, quietSince: now - quietPeriodMs, limit: 100)
        for session in pending {
            do {
                try await analyze(session, now: now)
            } catch {
                // One session the analyzer cannot judge must not stop the others, nor come back
                // at every pass: it is logged and marked as analyzed through its last chunk.
                logger.warning("replay analysis skipped a session", metadata: [
                    "project": "\(session.projectID)", "session": "\(session.sessionID)", "error": "\(error)"])
                try await sessions.markAnalyzed(
                    projectID: session.projectID, sessionID: session.sessionID, seq: session.lastSeq,
                    throughTs: session.analyzedThroughTs ?? WireRange.timestampMs.lowerBound)
            }
        }
        return pending.count
    }

    func analyze(_ session: SessionForAnalysis, now: Int64) async throws {
        let chunks = try await analytics.replayChunks(projectID: session.projectID, sessionID: session.sessionID)
        var events: [JSONValue] = []
        for chunk in chunks {
            guard let stored = try await blobs.get(key: chunk.blobKey) else { continue }
            let bytes = GzipBody.isGzip(ByteBuffer(bytes: stored))
                ? Array(buffer: try GzipBody.inflate(ByteBuffer(bytes: stored), limit: 256 << 20)) : stored
            events += (try? JSONValue.parse(bytes))?.arrayValue ?? []
        }
        // rrweb events only, with times in range: SeeStack's semantic replays (`timestampMillis`,
        // no rrweb `type`) carry no clicks to judge, and stored extremes cannot overflow below.
        let ordered = events.enumerated().compactMap { offset, event -> (offset: Int, ts: Int64, event: JSONValue)? in
            guard event["type"]?.intValue != nil, let ts = event["timestamp"]?.timestampMsValue else { return nil }
            return (offset, ts, event)
        }.sorted { lhs, rhs in lhs.ts == rhs.ts ? lhs.offset < rhs.offset : lhs.ts < rhs.ts }
        let judgedThrough = session.analyzedThroughTs.map { min(max($0, WireRange.timestampMs.lowerBound), WireRange.timestampMs.upperBound) }
            ?? WireRange.timestampMs.lowerBound
        let occurrences = FrustrationClicks.detect(ordered.map(\.event)).filter { $0.ts > judgedThrough }.map { click in
            FrustrationIssues.occurrence(click, projectID: session.projectID, sessionID: session.sessionID, userID: session.userID)
        }
        if !occurrences.isEmpty { try await issues.record(occurrences, projectID: session.projectID, now: now) }
        let lastTs = ordered.last?.ts ?? judgedThrough
        // Dead clicks in the last 2.5 s are not judged yet: leave them for the next pass.
        let through = max(judgedThrough, lastTs - FrustrationClicks.deadMutationWindowMs)
        try await sessions.markAnalyzed(projectID: session.projectID, sessionID: session.sessionID, seq: chunks.last?.seq ?? 0, throughTs: through)
    }

    public func run() async throws {
        let since = clock.nowMilliseconds() - 86_400_000
        await periodically(every: interval, lease: leases.map { ($0, .replayAnalysis) }, logger: logger, failure: "replay analysis failed") {
            try await analyzePending(since: since)
        }
    }
}
