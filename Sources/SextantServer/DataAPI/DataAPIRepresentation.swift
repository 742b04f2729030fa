import Foundation
import Hummingbird
import SextantCore

/// Lucent's camelCase object shapes, each followed by Sextant's own fields (API.md §5).
enum DataAPIRepresentation {
    static func write(issue: Issue, previewBase: String, into writer: inout JSONWriter) {
        writer.key("id"); writer.string(issue.id)
        writer.key("title"); writer.string(issue.title)
        writer.key("description"); writer.string(issue.description)
        writer.key("status"); writer.string(issue.status.rawValue)
        writer.key("priority"); writer.string(issue.priority.rawValue)
        writer.key("previewUrl"); writer.string(previewURL(issue, base: previewBase))
        writer.key("createdAt"); writer.string(ISOTimestamp.format(issue.createdAt))
        writer.key("sessionCount"); writer.integer(issue.sessionCount)
        writer.key("ticketProvider"); writer.string(issue.ticketProvider)
        writer.key("ticketUrl"); writer.string(issue.ticketURL)
        writer.key("ticketIdentifier"); writer.string(issue.ticketIdentifier)
        writer.key("projectSlug"); writer.string(issue.projectSlug)
        writer.key("kind"); writer.string(issue.kind.rawValue)
        writer.key("level"); writer.string(issue.level)
        writer.key("fingerprint"); writer.string(issue.fingerprint)
        writer.key("culprit"); writer.string(issue.culprit)
        writer.key("count"); writer.integer(issue.count)
        writer.key("userCount"); writer.integer(issue.userCount)
        writer.key("firstSeen"); writer.string(ISOTimestamp.format(issue.firstSeen))
        writer.key("lastSeen"); writer.string(ISOTimestamp.format(issue.lastSeen))
        writer.key("sampleSessionId"); writer.string(issue.sampleSessionID)
        writer.key("sampleEventId"); writer.integer(issue.sampleEventID)
    }

    /// The issue with the detail fields a single fetch adds.
    static func issueDetail(_ detail: IssueDetail, previewBase: String) -> Response {
        .jsonObject { writer in
            writer.key("issue")
            write(detail: detail, previewBase: previewBase, into: &writer)
        }
    }

    /// Lucent's detail fields, then Sextant's: the sample occurrence's `stack` and `traceId`.
    static func write(detail: IssueDetail, previewBase: String, into writer: inout JSONWriter) {
        writer.beginObject()
        write(issue: detail.issue, previewBase: previewBase, into: &writer)
        writer.key("updatedAt"); writer.string(ISOTimestamp.format(detail.issue.updatedAt))
        writer.key("stepsToReplicate")
        if let steps = detail.steps {
            writer.beginArray()
            for step in steps { writer.string(step) }
            writer.endArray()
        } else {
            writer.null()
        }
        writer.key("aiVerified"); writer.null()
        writer.key("stack")
        writer.beginArray()
        for line in detail.stack { writer.string(line) }
        writer.endArray()
        writer.key("traceId"); writer.string(detail.traceID)
        writer.endObject()
    }

    /// The dashboard's replay of the sample session, seeking to the occurrence.
    static func previewURL(_ issue: Issue, base: String) -> String? {
        guard let session = issue.sampleSessionID else { return nil }
        let encoded = session.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(.init(charactersIn: "/?#"))) ?? session
        return "\(base)/sessions/\(encoded)" + (issue.sampleTs.map { "?t=\($0)" } ?? "")
    }

    static func write(signal: Signal, into writer: inout JSONWriter) {
        writer.key("id"); writer.string(signal.id)
        writer.key("name"); writer.string(signal.name)
        writer.key("prompt"); writer.string(signal.prompt)
        writer.key("status"); writer.string(signal.status.rawValue)
        writer.key("backfillStatus"); writer.null()
        writer.key("createdAt"); writer.string(ISOTimestamp.format(signal.createdAt))
        writer.key("matchCount"); writer.integer(signal.matchCount)
        writer.key("lastMatchAt"); writer.string(signal.lastMatchAt.map(ISOTimestamp.format))
        writer.key("projectSlug"); writer.string(signal.projectSlug)
        writer.key("match"); writer.value((try? JSONValue.parse(signal.match.jsonText)) ?? .null)
    }

    static func write(insight: Insight, into writer: inout JSONWriter) {
        writer.key("id"); writer.string(insight.id)
        writer.key("createdAt"); writer.string(ISOTimestamp.format(insight.createdAt))
        writer.key("intervalStart"); writer.string(ISOTimestamp.format(insight.intervalStart))
        writer.key("intervalEnd"); writer.string(ISOTimestamp.format(insight.intervalEnd))
        writer.key("sessionsCount"); writer.integer(insight.sessionsCount)
        writer.key("contentPreview"); writer.string(insight.contentPreview)
        writer.key("projectSlug"); writer.string(insight.projectSlug)
        writer.key("kind"); writer.string(insight.kind.rawValue)
        writer.key("title"); writer.string(insight.title)
        writer.key("severity"); writer.string(insight.severity.rawValue)
        writer.key("issueIds")
        writer.beginArray()
        for id in insight.issueIDs { writer.string(id) }
        writer.endArray()
        writer.key("findings")
        writer.value(.array(insight.findings.map(\.json)))
    }

    /// `{"<name>": [...], "nextCursor": …}`, the shape of every Data API list.
    static func list<Item>(_ name: String, _ page: Page<Item>, write: (Item, inout JSONWriter) -> Void) -> Response {
        .jsonObject { writer in writeList(name, page, into: &writer, write: write) }
    }

    static func writeList<Item>(_ name: String, _ page: Page<Item>, into writer: inout JSONWriter, write: (Item, inout JSONWriter) -> Void) {
        writer.key(name)
        writer.beginArray()
        for item in page.items {
            writer.beginObject()
            write(item, &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.key("nextCursor"); writer.string(page.next.map(PageCursorCoding.encode))
    }
}
