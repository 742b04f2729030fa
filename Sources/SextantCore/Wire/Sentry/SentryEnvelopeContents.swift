/// What an envelope's items become in Sextant, decided before anything is stored: a malformed
/// item rejects the whole envelope. Item types Sextant does not keep (client reports,
/// attachments, profiles, replays for now) are counted and skipped, never refused, since a 4xx
/// makes SDKs drop what else they had queued.
public struct SentryEnvelopeContents: Sendable {
    public var eventID: String?
    public var errors: [IngestEvent] = []
    public var spans: [SpanRecord] = []
    public var logs: [LogRecord] = []
    public var sessions: [ReleaseSessionUpdate] = []
    public var checkIns: [SentryCheckIn] = []
    /// Item types skipped, with how many of each.
    public var skipped: [String: Int] = [:]

    public init(eventID: String?) {
        self.eventID = eventID
    }

    public static func decode(_ envelope: SentryEnvelope, now: Int64) throws -> SentryEnvelopeContents {
        var contents = SentryEnvelopeContents(eventID: envelope.header["event_id"]?.stringValue)
        for item in envelope.items {
            switch item.type {
            case "event":
                let event = try item.json()
                guard event.objectValue != nil else { throw SentryEnvelopeError("the event item is not a JSON object") }
                contents.eventID = contents.eventID ?? event["event_id"]?.stringValue
                contents.errors.append(SentryEvent.errorEvent(event, now: now))
            case "transaction":
                let transaction = try item.json()
                contents.eventID = contents.eventID ?? transaction["event_id"]?.stringValue
                contents.spans += try SentryTransaction.spans(transaction)
            case "check_in":
                contents.checkIns.append(try SentryCheckIn.parse(try item.json()))
            case "log":
                contents.logs += try SentryLogs.records(try item.json(), now: now)
            case "session":
                contents.sessions += try SentrySessions.session(try item.json(), now: now)
            case "sessions":
                contents.sessions += try SentrySessions.aggregates(try item.json(), now: now)
            default:
                contents.skipped[item.type, default: 0] += 1
            }
        }
        return contents
    }

    /// The ingest items to commit, in the order they were sent (check-ins go through the monitor store first).
    public func items(projectID: Int64, receivedAt: Int64) -> [IngestItem] {
        var items: [IngestItem] = []
        if !errors.isEmpty { items.append(.events(EventBatch(projectID: projectID, receivedAt: receivedAt, events: errors))) }
        if !spans.isEmpty { items.append(.spans(SpanBatch(projectID: projectID, receivedAt: receivedAt, spans: spans))) }
        if !logs.isEmpty { items.append(.logs(LogBatch(projectID: projectID, receivedAt: receivedAt, records: logs))) }
        if !sessions.isEmpty { items.append(.releases(ReleaseBatch(projectID: projectID, receivedAt: receivedAt, sessions: sessions))) }
        return items
    }
}
