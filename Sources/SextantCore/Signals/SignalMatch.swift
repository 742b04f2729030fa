/// A signal's condition (API.md §8): every field that is set must hold.
public struct SignalMatch: Sendable, Equatable, Decodable {
    public enum Source: String, Sendable, Decodable, CaseIterable {
        case events, logs, errors
    }

    public var source: Source = .events
    public var type: String?
    public var name: String?
    public var nameContains: String?
    public var urlContains: String?
    public var level: String?
    public var messageContains: String?
    /// Exact values the event's `props` (or the log's `metadata`) must hold.
    public var props: [String: JSONValue] = [:]

    public init(source: Source = .events) {
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case source, type, name, level, props
        case nameContains = "name_contains"
        case urlContains = "url_contains"
        case messageContains = "message_contains"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decodeIfPresent(Source.self, forKey: .source) ?? .events
        type = try c.decodeIfPresent(String.self, forKey: .type)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        nameContains = try c.decodeIfPresent(String.self, forKey: .nameContains)
        urlContains = try c.decodeIfPresent(String.self, forKey: .urlContains)
        level = try c.decodeIfPresent(String.self, forKey: .level)
        messageContains = try c.decodeIfPresent(String.self, forKey: .messageContains)
        props = try c.decodeIfPresent([String: JSONValue].self, forKey: .props) ?? [:]
    }

    /// Parses the stored or user-given JSON form; unknown fields are refused so a typo never matches everything.
    public init(jsonText: String) throws {
        guard case .object(let members) = try JSONValue.parse(jsonText) else { throw SignalMatchError("match must be a JSON object") }
        let known = Set(["source", "type", "name", "name_contains", "url_contains", "level", "message_contains", "props"])
        if let unknown = members.keys.first(where: { !known.contains($0) }) { throw SignalMatchError("unknown match field \"\(unknown)\"") }
        func text(_ key: String) throws -> String? {
            guard let value = members[key], !value.isNull else { return nil }
            guard let string = value.stringValue else { throw SignalMatchError("\(key) must be a string") }
            return string
        }
        if let sourceText = try text("source") {
            guard let parsed = Source(rawValue: sourceText) else { throw SignalMatchError("source must be events, logs or errors") }
            source = parsed
        }
        type = try text("type")
        name = try text("name")
        nameContains = try text("name_contains")
        urlContains = try text("url_contains")
        level = try text("level")
        messageContains = try text("message_contains")
        if let props = members["props"], !props.isNull {
            guard let object = props.objectValue else { throw SignalMatchError("props must be an object") }
            self.props = object
        }
    }

    public var jsonText: String {
        var members: [String: JSONValue] = ["source": .string(source.rawValue)]
        members["type"] = type.map(JSONValue.string)
        members["name"] = name.map(JSONValue.string)
        members["name_contains"] = nameContains.map(JSONValue.string)
        members["url_contains"] = urlContains.map(JSONValue.string)
        members["level"] = level.map(JSONValue.string)
        members["message_contains"] = messageContains.map(JSONValue.string)
        if !props.isEmpty { members["props"] = .object(props) }
        return JSONValue.object(members).jsonText
    }

    public func matches(event: IngestEvent) -> Bool {
        guard source == .events else { return false }
        if let type, type != event.type.rawValue { return false }
        guard text(event.name, equals: name, contains: nameContains), contains(event.url, urlContains) else { return false }
        guard level != nil || messageContains != nil || !props.isEmpty else { return true }
        let parsed = event.propsJSON.flatMap { try? JSONValue.parse($0) }
        if let level, parsed?["level"]?.stringValue != level { return false }
        return contains(parsed?["message"]?.stringValue, messageContains) && holdsProps(parsed)
    }

    public func matches(log record: LogRecord) -> Bool {
        guard source == .logs, type == nil, name == nil, nameContains == nil, urlContains == nil else { return false }
        if let level, level != record.level.rawValue { return false }
        guard contains(record.message, messageContains) else { return false }
        return props.isEmpty || holdsProps(record.metadataJSON.flatMap { try? JSONValue.parse($0) })
    }

    /// Errors from every source, after grouping: `name` is the exception type.
    public func matches(error occurrence: IssueOccurrence) -> Bool {
        guard source == .errors, occurrence.kind == .error, props.isEmpty, urlContains == nil else { return false }
        if let type, type != "error" { return false }
        if let level, level != occurrence.level { return false }
        return text(occurrence.subject, equals: name, contains: nameContains) && contains(occurrence.description, messageContains)
    }

    private func text(_ value: String, equals exact: String?, contains part: String?) -> Bool {
        if let exact, exact != value { return false }
        return contains(value, part)
    }

    private func contains(_ value: String?, _ part: String?) -> Bool {
        guard let part else { return true }
        return value?.contains(part) ?? false
    }

    private func holdsProps(_ object: JSONValue?) -> Bool {
        props.allSatisfy { key, expected in object?[key] == expected }
    }
}

public struct SignalMatchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
