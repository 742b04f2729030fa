/// What a project's webhook can subscribe to (API.md §8).
public enum AlertEvent: String, Sendable, CaseIterable, Decodable {
    case newIssue = "new_issue"
    case regression
    case bugReport = "bug_report"
    case monitorMissed = "monitor_missed"

    /// The alert an issue's change raises: a cron monitor's missed run is its own event.
    public init?(transition: IssueTransition, kind: IssueKind) {
        switch (transition, kind) {
        case (.recurred, _): return nil
        case (_, .missedHeartbeat): self = .monitorMissed
        case (.opened, _): self = .newIssue
        case (.regressed, _): self = .regression
        }
    }
}

/// A webhook body waiting for delivery, kept in the outbox until it succeeds or runs out of attempts.
public struct PendingAlert: Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var body: String
    public var attempts: Int

    public init(id: Int64, url: String, body: String, attempts: Int) {
        self.id = id
        self.url = url
        self.body = body
        self.attempts = attempts
    }
}

/// The JSON a webhook receives; `text` makes it a valid Slack incoming-webhook message too.
public enum AlertMessage {
    public static func body(event: AlertEvent, issue: Issue, now: Int64) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("event"); writer.string(event.rawValue)
        writer.key("text"); writer.string(text(event: event, issue: issue))
        writer.key("sentAt"); writer.string(ISOTimestamp.format(now))
        writer.key("issue")
        writer.beginObject()
        writer.key("id"); writer.string(issue.id)
        writer.key("projectSlug"); writer.string(issue.projectSlug)
        writer.key("kind"); writer.string(issue.kind.rawValue)
        writer.key("title"); writer.string(issue.title)
        writer.key("level"); writer.string(issue.level)
        writer.key("status"); writer.string(issue.status.rawValue)
        writer.key("count"); writer.integer(issue.count)
        writer.key("firstSeen"); writer.string(ISOTimestamp.format(issue.firstSeen))
        writer.key("lastSeen"); writer.string(ISOTimestamp.format(issue.lastSeen))
        writer.key("sampleSessionId"); writer.string(issue.sampleSessionID)
        writer.endObject()
        writer.endObject()
        return writer.text
    }

    /// A bug report sent by a user through the SDK (a spyglass `bug_report` event).
    public static func bugReportBody(projectSlug: String, event: IngestEvent, now: Int64) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("event"); writer.string(AlertEvent.bugReport.rawValue)
        writer.key("text"); writer.string("[\(projectSlug)] Bug report: \(event.name)" + (event.url.map { " on \($0)" } ?? ""))
        writer.key("sentAt"); writer.string(ISOTimestamp.format(now))
        writer.key("report")
        writer.beginObject()
        writer.key("projectSlug"); writer.string(projectSlug)
        writer.key("name"); writer.string(event.name)
        writer.key("url"); writer.string(event.url)
        writer.key("userId"); writer.string(event.userID)
        writer.key("sessionId"); writer.string(event.sessionID)
        writer.key("ts"); writer.string(ISOTimestamp.format(event.ts))
        writer.key("props"); writer.value(event.propsJSON.flatMap { try? JSONValue.parse($0) } ?? .null)
        writer.endObject()
        writer.endObject()
        return writer.text
    }

    /// A test delivery from the dashboard: the shape of every alert, marked as a test.
    public static func testBody(projectSlug: String, now: Int64) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("event"); writer.string("test")
        writer.key("text"); writer.string("[\(projectSlug)] Test delivery from Sextant: this webhook works.")
        writer.key("sentAt"); writer.string(ISOTimestamp.format(now))
        writer.key("projectSlug"); writer.string(projectSlug)
        writer.endObject()
        return writer.text
    }

    static func text(event: AlertEvent, issue: Issue) -> String {
        let what = switch event {
        case .newIssue: "New issue"
        case .regression: "Regression"
        case .bugReport: "Bug report"
        case .monitorMissed: "Monitor missed"
        }
        return "[\(issue.projectSlug)] \(what): \(issue.title)"
    }

    /// Seconds before retry `attempt` (1-based): 5 s doubling, capped at an hour.
    public static func backoffSeconds(afterAttempt attempt: Int) -> Int64 {
        min(5 << min(attempt - 1, 20), 3600)
    }

    /// Attempts after which an alert is given up on (about nine hours of retries).
    public static let maxAttempts = 12
}
