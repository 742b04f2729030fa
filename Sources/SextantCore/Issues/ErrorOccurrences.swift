/// Reads errors out of every source's stored shape (API.md §8): spyglass and SeeStack `error`
/// events, LuminaLog and SeeStack logs at `error`/`fatal` or carrying an `error` object.
public enum ErrorOccurrences {
    /// Titles and descriptions stay readable in lists; the full text lives in the event or log.
    static let maxTitleLength = 200

    /// The error an `error` event reports (name, `props.message`, `props.stack`), or nil for other events.
    public static func from(event: IngestEvent, projectID: Int64) -> IssueOccurrence? {
        guard event.type == .error else { return nil }
        let props = event.propsJSON.flatMap { try? JSONValue.parse($0) }
        let message = props?["message"]?.stringValue ?? ""
        let level = props?["level"]?.stringValue ?? "error"
        var occurrence = make(
            projectID: projectID, type: event.name, message: message, stack: stackLines(props?["stack"]),
            clientFingerprint: props?["fingerprint"]?.stringValue, level: level, ts: event.ts, userID: event.userID,
            sessionID: event.sessionID, fallbackCulprit: event.url.map(URLPath.path(of:)))
        occurrence.tags = ErrorTags.of(event: event, props: props)
        return occurrence
    }

    /// The error a log line reports, or nil when it is neither error-level nor carries an error.
    public static func from(log record: LogRecord, projectID: Int64) -> IssueOccurrence? {
        let error = record.loggedError
            ?? record.errorJSON.flatMap { try? JSONValue.parse($0) }?.objectValue.map(LoggedError.init)
        guard record.level == .error || record.level == .fatal || error != nil else { return nil }
        let type = nonBlank(error?.type) ?? record.level.rawValue
        let message = nonBlank(error?.message) ?? record.message
        var occurrence = make(
            projectID: projectID, type: type, message: message, stack: error?.stack ?? [],
            clientFingerprint: record.fingerprint, level: record.level.rawValue, ts: record.ts, userID: record.userID,
            sessionID: nil, fallbackCulprit: record.service)
        occurrence.tags = ErrorTags.of(log: record)
        return occurrence
    }

    static func make(
        projectID: Int64, type: String, message: String, stack: [String], clientFingerprint: String?, level: String, ts: Int64,
        userID: String?, sessionID: String?, fallbackCulprit: String?
    ) -> IssueOccurrence {
        let fingerprint = ErrorFingerprint.compute(
            project: String(projectID), type: type, message: message, stack: stack, clientFingerprint: clientFingerprint)
        let firstLine = message.utf8.contains(where: { $0 == 10 || $0 == 13 })
            ? message.split(whereSeparator: \.isNewline).first.map(String.init) ?? "" : message
        let title = firstLine.isEmpty ? type : "\(type): \(firstLine)"
        let culprit = ErrorFingerprint.cachedInAppFrames(stack).first ?? fallbackCulprit
        return IssueOccurrence(
            kind: .error, fingerprint: fingerprint, subject: type, title: clipped(title, to: maxTitleLength),
            description: clipped(message, to: 1000), culprit: culprit, level: level, ts: ts, userID: userID, sessionID: sessionID)
    }

    /// A stack given as one string or as an array of frame strings.
    public static func stackLines(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text): ErrorFingerprint.lines(of: text)
        case .array(let frames): frames.compactMap { frame in frame.stringValue ?? frameText(frame) }
        default: []
        }
    }

    /// Structured frames (`{"filename","function","lineno"}`, as some SDKs send) as one line.
    private static func frameText(_ frame: JSONValue) -> String? {
        guard frame.objectValue != nil else { return nil }
        let file = frame["filename"]?.stringValue ?? frame["abs_path"]?.stringValue ?? frame["file"]?.stringValue
        let function = frame["function"]?.stringValue ?? frame["method"]?.stringValue
        guard let file else { return nil }
        return "at \(function ?? "?") (\(file))"
    }

    private static func nonBlank(_ text: String?) -> String? {
        guard let text, text.utf8.contains(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else { return nil }
        return text
    }

    /// At most `limit` characters; the common short text is returned without walking it.
    private static func clipped(_ text: String, to limit: Int) -> String {
        text.utf8.count <= limit ? text : String(text.prefix(limit))
    }
}
