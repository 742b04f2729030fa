/// What an envelope's items become in Sextant, decided before anything is stored: a malformed
/// item rejects the whole envelope. Item types Sextant does not keep (client reports,
/// profiles) are counted and skipped, never refused, since a 4xx makes SDKs drop what else they
/// had queued.
public struct SentryEnvelopeContents: Sendable {
    public var eventID: String?
    public var errors: [IngestEvent] = []
    public var spans: [SpanRecord] = []
    public var logs: [LogRecord] = []
    public var sessions: [ReleaseSessionUpdate] = []
    public var checkIns: [SentryCheckIn] = []
    public var replays: [SentryReplaySegment] = []
    /// Files for the envelope's event (its `event_id`).
    public var attachments: [Attachment] = []

    public struct Attachment: Sendable {
        public var filename: String
        public var contentType: String
        public var bytes: [UInt8]
    }
    /// Item types skipped, with how many of each.
    public var skipped: [String: Int] = [:]

    public init(eventID: String?) {
        self.eventID = eventID
    }

    /// Sentry's own limit for an event-like item; files and replay segments are bounded by the body.
    public static let maximumJSONItemBytes = 1 << 20
    static let fileItemTypes: Set<String> = ["attachment", "replay_recording"]

    /// `inflateLimit` bounds a compressed replay segment's inflated size.
    public static func decode(_ envelope: SentryEnvelope, now: Int64, inflateLimit: Int = 8 << 20) throws -> SentryEnvelopeContents {
        var contents = SentryEnvelopeContents(eventID: envelope.header["event_id"]?.stringValue)
        var replayEvents: [JSONValue] = []
        var recordings: [[UInt8]] = []
        for item in envelope.items {
            if !fileItemTypes.contains(item.type), item.payload.count > maximumJSONItemBytes {
                throw SentryEnvelopeError("the \(item.type) item is \(item.payload.count) bytes, over the \(maximumJSONItemBytes)-byte limit")
            }
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
            case "replay_event":
                replayEvents.append(try item.json())
            case "replay_recording":
                recordings.append(item.payload)
            case "attachment":
                let filename = item.header["filename"]?.stringValue.flatMap { $0.isEmpty ? nil : String($0.prefix(255)) } ?? "attachment"
                contents.attachments.append(Attachment(
                    filename: filename, contentType: item.header["content_type"]?.stringValue ?? "application/octet-stream", bytes: item.payload))
            default:
                contents.skipped[item.type, default: 0] += 1
            }
        }
        contents.replays = try SentryReplaySegment.segments(events: replayEvents, recordings: recordings, inflateLimit: inflateLimit)
        // A file without an event to belong to cannot be found again: counted, not kept.
        if contents.eventID == nil, !contents.attachments.isEmpty {
            contents.skipped["attachment", default: 0] += contents.attachments.count
            contents.attachments = []
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
