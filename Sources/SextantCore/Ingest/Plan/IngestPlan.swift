/// Every side effect of one ingest commit beyond the rows its items insert: the session and user
/// rollups, issue grouping, signal tallies, bug-report alerts and release-health marks. The domain
/// decides them as the backend inserts the rows (errors need the event id the insert gave); the
/// backend then executes the plan in the same transaction, in key order. No storage here, so the
/// rules are written once for every backend and tested without a database.
package struct IngestPlan {
    package struct BugReport {
        package var projectID: Int64
        package var event: IngestEvent
        package var receivedAt: Int64
    }

    /// A release-health session that saw an error: its count goes up, its status at least to `status`.
    package struct ReleaseSessionError: Hashable, Comparable {
        package var projectID: Int64
        package var sessionID: String
        package var status: ReleaseSessionStatus

        package static func < (a: Self, b: Self) -> Bool { (a.projectID, a.sessionID, a.status.rawValue) < (b.projectID, b.sessionID, b.status.rawValue) }
    }

    package init() {}

    package private(set) var rollup = SessionRollup()
    package private(set) var issues = IssueTally()
    package private(set) var signals = SignalTally()
    package private(set) var bugReports: [BugReport] = []
    package private(set) var releaseSessionErrors: [ReleaseSessionError] = []
    /// The latest receipt among the commit's batches: the time its issue changes are stamped with.
    package private(set) var latestReceipt: Int64 = 0

    /// `eventID` is the id the backend gave the event's row.
    package mutating func observe(event: IngestEvent, eventID: Int64, projectID: Int64, receivedAt: Int64, device: DeviceInfo?, signals active: [ActiveSignal]) {
        latestReceipt = max(latestReceipt, receivedAt)
        rollup.add(event, projectID: projectID, device: device)
        signals.observe(event: event, among: active, at: receivedAt)
        if var error = ErrorOccurrences.from(event: event, projectID: projectID) {
            error.eventID = eventID
            observe(error: error, projectID: projectID, receivedAt: receivedAt, signals: active)
        }
        if event.type == .bugReport { bugReports.append(BugReport(projectID: projectID, event: event, receivedAt: receivedAt)) }
    }

    package mutating func observe(log: LogRecord, projectID: Int64, receivedAt: Int64, signals active: [ActiveSignal]) {
        latestReceipt = max(latestReceipt, receivedAt)
        signals.observe(log: log, among: active, at: receivedAt)
        if let error = ErrorOccurrences.from(log: log, projectID: projectID) {
            issues.add(error, projectID: projectID)
            signals.observe(error: error, among: active, at: receivedAt)
        }
    }

    /// Only a chunk the backend stored counts toward its session (a duplicate was counted before).
    package mutating func observe(storedChunk chunk: ReplayChunkRecord, hint: SessionHint) {
        rollup.addChunk(chunk, hint: hint)
    }

    package mutating func observe(_ properties: UserPropertyBatch) {
        for update in properties.updates { rollup.addProperties(update, projectID: properties.projectID) }
    }

    private mutating func observe(error: IssueOccurrence, projectID: Int64, receivedAt: Int64, signals active: [ActiveSignal]) {
        issues.add(error, projectID: projectID)
        if let sessionID = error.sessionID {
            releaseSessionErrors.append(ReleaseSessionError(projectID: projectID, sessionID: sessionID, status: .afterError(level: error.level)))
        }
        signals.observe(error: error, among: active, at: receivedAt)
    }

    /// Release sessions in key order, each mark once per error.
    package var sortedReleaseSessionErrors: [ReleaseSessionError] { releaseSessionErrors.sorted() }
}
