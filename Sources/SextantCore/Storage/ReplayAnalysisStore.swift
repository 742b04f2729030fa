/// A replay session with chunks the analyzers have not read yet.
public struct SessionForAnalysis: Sendable, Equatable {
    public var projectID: Int64
    public var sessionID: String
    public var userID: String?
    /// The session's highest chunk sequence number now.
    public var lastSeq: Int
    /// The latest event time already judged: clicks up to it were counted by an earlier pass.
    public var analyzedThroughTs: Int64?

    public init(projectID: Int64, sessionID: String, userID: String?, lastSeq: Int = 0, analyzedThroughTs: Int64?) {
        self.projectID = projectID
        self.lastSeq = lastSeq
        self.sessionID = sessionID
        self.userID = userID
        self.analyzedThroughTs = analyzedThroughTs
    }
}

/// Which replay sessions wait for frustration-click analysis, and how far each was analyzed.
public protocol ReplayAnalysisStore: Sendable {
    /// Sessions that received chunks after `since`, whose last chunk arrived at or before
    /// `quietSince` (the session went quiet) or whose uploader declared them final, and that have
    /// chunks beyond what was analyzed.
    func sessionsAwaitingAnalysis(since: Int64, quietSince: Int64, limit: Int) async throws -> [SessionForAnalysis]
    func markAnalyzed(projectID: Int64, sessionID: String, seq: Int, throughTs: Int64) async throws
}
