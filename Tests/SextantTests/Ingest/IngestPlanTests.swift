import Foundation
import Testing
@testable import SextantCore

/// The ingest rules, decided without any database: what a commit's items change beyond their rows.
@Suite struct IngestPlanTests {
    func error(_ ts: Int64, message: String = "boom", session: String? = "s1", user: String? = nil, level: String = "error") -> IngestEvent {
        IngestEvent(ts: ts, type: .error, name: "TypeError", userID: user, sessionID: session, url: "https://shop.example.com/checkout",
                    propsJSON: #"{"message":"\#(message)","level":"\#(level)"}"#)
    }

    @Test func identicalErrorsAreOneIssueWriteAndIssuesAreWrittenInKeyOrder() throws {
        var plan = IngestPlan()
        for index in 0..<300 {
            plan.observe(event: error(Int64(index), user: "u\(index % 7)"), eventID: Int64(index), projectID: 2, receivedAt: 1_000, device: nil, signals: [])
        }
        plan.observe(event: error(5, message: "other"), eventID: 900, projectID: 1, receivedAt: 2_000, device: nil, signals: [])
        let groups = plan.issues.sortedGroups
        #expect(groups.map(\.key.projectID) == [1, 2])
        #expect(groups[1].value.count == 300 && groups[1].value.userIDs.count == 7)
        #expect(plan.latestReceipt == 2_000)
    }

    @Test func sessionsAndUsersFoldOncePerCommitInKeyOrder() {
        var plan = IngestPlan()
        let events = [
            IngestEvent(ts: 30, type: .pageview, name: "$pageview", userID: "ann", sessionID: "s-b", url: "https://x/late"),
            IngestEvent(ts: 10, type: .pageview, name: "$pageview", userID: nil, sessionID: "s-b", url: "https://x/entry"),
            IngestEvent(ts: 20, type: .event, name: "click", userID: "bob", sessionID: "s-a"),
        ]
        for (index, event) in events.enumerated() {
            plan.observe(event: event, eventID: Int64(index), projectID: 1, receivedAt: 100, device: nil, signals: [])
        }
        let sessions = plan.rollup.sortedSessions
        #expect(sessions.map(\.key.sessionID) == ["s-a", "s-b"])
        let late = sessions[1].value
        #expect(late.events == 2 && late.startedAt == 10 && late.lastSeen == 30 && late.entryURL == "https://x/entry" && late.userID == "ann")
        // A session without a user counts as its own walker until identified.
        #expect(plan.rollup.sortedUsers.map(\.key.userID) == ["ann", "bob", "s-b"])
    }

    @Test func signalsCountEventsLogsAndTheErrorsTheyCarry() throws {
        let checkout = ActiveSignal(id: "sig-errors", match: try SignalMatch(jsonText: #"{"source":"errors","name":"TypeError"}"#))
        let pages = ActiveSignal(id: "sig-pages", match: try SignalMatch(jsonText: #"{"source":"events","type":"pageview"}"#))
        var plan = IngestPlan()
        plan.observe(event: error(1), eventID: 1, projectID: 1, receivedAt: 50, device: nil, signals: [pages, checkout])
        plan.observe(
            event: IngestEvent(ts: 2, type: .pageview, name: "$pageview", sessionID: "s1"), eventID: 2, projectID: 1, receivedAt: 60, device: nil,
            signals: [pages, checkout])
        #expect(plan.signals.sortedMatches.map(\.key) == ["sig-errors", "sig-pages"])
        #expect(plan.signals.matches["sig-errors"] == SignalTally.Matches(count: 1, lastAt: 50))
        #expect(plan.signals.matches["sig-pages"] == SignalTally.Matches(count: 1, lastAt: 60))
    }

    @Test func errorLogsGroupButDoNotMarkReleaseSessions() {
        var plan = IngestPlan()
        var record = LogRecord(ts: 5, level: .error, message: "payment failed", source: "api")
        record.service = "billing"
        plan.observe(log: record, projectID: 1, receivedAt: 70, signals: [])
        plan.observe(log: LogRecord(ts: 6, level: .info, message: "fine", source: "api"), projectID: 1, receivedAt: 70, signals: [])
        #expect(plan.issues.groups.count == 1 && plan.releaseSessionErrors.isEmpty)
    }

    @Test func errorsInSessionsEscalateReleaseHealthAndBugReportsRaiseAlerts() {
        var plan = IngestPlan()
        plan.observe(event: error(1, session: "s2", level: "fatal"), eventID: 1, projectID: 1, receivedAt: 10, device: nil, signals: [])
        plan.observe(event: error(2, session: "s1"), eventID: 2, projectID: 1, receivedAt: 10, device: nil, signals: [])
        plan.observe(event: error(3, session: nil), eventID: 3, projectID: 1, receivedAt: 10, device: nil, signals: [])
        plan.observe(
            event: IngestEvent(ts: 4, type: .bugReport, name: "$bug_report", sessionID: "s1", propsJSON: #"{"message":"the cart is empty"}"#),
            eventID: 4, projectID: 1, receivedAt: 10, device: nil, signals: [])
        #expect(plan.sortedReleaseSessionErrors == [
            .init(projectID: 1, sessionID: "s1", status: .errored), .init(projectID: 1, sessionID: "s2", status: .crashed),
        ])
        #expect(plan.bugReports.map(\.event.name) == ["$bug_report"])
    }

    @Test func onlyStoredChunksCountTowardTheirSession() {
        var plan = IngestPlan()
        let chunk = ReplayChunkRecord(
            projectID: 1, sessionID: "s9", seq: 1, ts: 100, endTs: 900, eventCount: 3, byteSize: 10, sha256: "x", blobKey: "k",
            fullSnapshotOffsets: [0], receivedAt: 1_000)
        plan.observe(storedChunk: chunk, hint: SessionHint(userID: "ann"))
        let session = plan.rollup.sessions[SessionRollup.SessionKey(projectID: 1, sessionID: "s9")]
        #expect(session?.chunks == 1 && session?.lastSeen == 900 && session?.userID == "ann")
    }

    @Test func heartbeatsResolveOrRecordAndFlagSlowRuns() {
        let monitor = HeartbeatPlan.Monitor(slug: "nightly", organizationID: "acme", projectSlug: "web")
        let evaluation = MonitorEvaluation(status: .healthy, nextExpectedAt: nil)
        let slow = HeartbeatPlan(
            heartbeat: HeartbeatRecord(monitorID: "m", ts: 1, status: .success, durationMs: 400, message: nil, evaluation: evaluation),
            monitor: monitor, previousSuccessfulDurations: [100, 120, 110])
        guard case .resolve(.missedHeartbeat, "monitor:nightly") = slow.issueChange else { Issue.record("a success resolves the missed run"); return }
        #expect(slow.slowRun?.title == "Slow run of nightly")
        let failed = HeartbeatPlan(
            heartbeat: HeartbeatRecord(monitorID: "m", ts: 1, status: .failed, durationMs: 100, message: "exit 1", evaluation: evaluation),
            monitor: monitor, previousSuccessfulDurations: [100])
        guard case .record(let occurrence) = failed.issueChange else { Issue.record("a failure records an issue"); return }
        #expect(occurrence.fingerprint == "monitor:nightly" && failed.slowRun == nil)
    }
}
