/// A key and value describing where an occurrence happened (Sentry's tags): URL path, release,
/// environment, browser, OS, user, and the tags a Sentry SDK set.
public struct IssueTag: Sendable, Hashable, Comparable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    public static func < (lhs: IssueTag, rhs: IssueTag) -> Bool { (lhs.key, lhs.value) < (rhs.key, rhs.value) }

    /// Values past this length are cut: tags are for counting, not for reading whole.
    public static let maxValueLength = 200
    /// An SDK's own tags beyond these many are not counted, so one occurrence adds a bounded number of rows.
    public static let maxClientTags = 20
}

/// What an issue's page shows beside the issue itself: occurrences per day, the spread of each
/// tag, and the latest occurrences.
public struct IssueActivity: Sendable, Equatable {
    public struct TagValue: Sendable, Equatable {
        public var value: String
        public var count: Int64

        package init(value: String, count: Int64) {
            self.value = value
            self.count = count
        }
    }

    public struct TagBreakdown: Sendable, Equatable {
        public var key: String
        /// Occurrences that carried this key.
        public var total: Int64
        /// The most common values first.
        public var values: [TagValue]

        package init(key: String, total: Int64, values: [TagValue]) {
            self.key = key
            self.total = total
            self.values = values
        }
    }

    public struct Occurrence: Sendable, Equatable {
        public var ts: Int64
        public var eventID: Int64?
        public var sessionID: String?
        public var userID: String?
        public var tags: [IssueTag]

        package init(ts: Int64, eventID: Int64?, sessionID: String?, userID: String?, tags: [IssueTag]) {
            self.ts = ts
            self.eventID = eventID
            self.sessionID = sessionID
            self.userID = userID
            self.tags = tags
        }
    }

    public var days: [Aggregates.DayCount]
    public var tags: [TagBreakdown]
    public var occurrences: [Occurrence]

    public init(days: [Aggregates.DayCount], tags: [TagBreakdown], occurrences: [Occurrence]) {
        self.days = days
        self.tags = tags
        self.occurrences = occurrences
    }

    /// The latest occurrences an issue keeps; counts by day and tag cover every occurrence.
    public static let keptOccurrences = 100
}

/// The tags of an error, from what its source stored.
public enum ErrorTags {
    public static func of(event: IngestEvent, props: JSONValue?) -> [IssueTag] {
        var tags: [String: String] = [:]
        if let url = event.url { tags["url"] = URLPath.path(of: url) }
        tags["user"] = event.userID
        for key in ["release", "environment", "platform", "serverName", "transaction"] {
            tags[key == "serverName" ? "server_name" : key] = props?[key]?.stringValue
        }
        tags["browser"] = props?["contexts"]?["browser"]?["name"]?.stringValue ?? props?["browser"]?.stringValue
        tags["os"] = props?["contexts"]?["os"]?["name"]?.stringValue ?? props?["os"]?.stringValue
        tags["device"] = props?["contexts"]?["device"]?["model"]?.stringValue
        // A Sentry SDK's own tags: an object, or a list of [key, value] pairs.
        var clientTags: [(String, String)] = []
        if let object = props?["tags"]?.objectValue {
            clientTags = object.compactMap { key, value in value.stringValue.map { (key, $0) } }
        } else if let pairs = props?["tags"]?.arrayValue {
            clientTags = pairs.compactMap { pair in
                guard let items = pair.arrayValue, items.count == 2, let key = items[0].stringValue, let value = items[1].stringValue else { return nil }
                return (key, value)
            }
        }
        for (key, value) in clientTags.sorted(by: { $0.0 < $1.0 }).prefix(IssueTag.maxClientTags) where tags[key] == nil {
            tags[key] = value
        }
        return tagged(tags)
    }

    public static func of(log record: LogRecord) -> [IssueTag] {
        tagged(["environment": record.environment, "service": record.service, "user": record.userID])
    }

    static func tagged(_ tags: [String: String?]) -> [IssueTag] {
        tags.compactMap { key, value in
            guard let value, !value.isEmpty, key.count <= 64 else { return nil }
            return IssueTag(key: key, value: String(value.prefix(IssueTag.maxValueLength)))
        }.sorted()
    }
}

extension IssueTag {
    /// Tags as every backend stores them: one JSON object of key to value.
    package static func encode(_ tags: [IssueTag]) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        for tag in tags {
            writer.key(tag.key)
            writer.string(tag.value)
        }
        writer.endObject()
        return writer.text
    }

    /// The stored tags, sorted; anything else stored there reads as no tags.
    package static func decode(_ text: String) -> [IssueTag] {
        ((try? JSONValue.parse(text))?.objectValue ?? [:]).compactMap { key, value in value.stringValue.map { IssueTag(key: key, value: $0) } }.sorted()
    }
}
