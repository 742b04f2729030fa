/// A saved question about incoming data, counted as data arrives (Lucent's signals).
public struct Signal: Sendable, Equatable {
    public enum Status: String, Sendable {
        case active, paused
    }

    public var id: String
    public var organizationID: String
    public var projectSlug: String
    public var name: String
    public var prompt: String?
    public var status: Status
    public var match: SignalMatch
    public var createdAt: Int64
    public var matchCount: Int64
    public var lastMatchAt: Int64?
    /// `config` when the configuration file declares it (it comes back at every start).
    public var source: String = RecordSource.cli.rawValue

    public init(
        id: String, organizationID: String, projectSlug: String, name: String, prompt: String?, status: Status, match: SignalMatch,
        createdAt: Int64, matchCount: Int64, lastMatchAt: Int64?
    ) {
        self.id = id
        self.organizationID = organizationID
        self.projectSlug = projectSlug
        self.name = name
        self.prompt = prompt
        self.status = status
        self.match = match
        self.createdAt = createdAt
        self.matchCount = matchCount
        self.lastMatchAt = lastMatchAt
    }
}

/// A signal as the configuration file declares it.
public struct SignalConfig: Sendable, Equatable, Decodable {
    public var name: String
    public var prompt: String?
    public var match: SignalMatch

    public init(name: String, prompt: String? = nil, match: SignalMatch) {
        self.name = name
        self.prompt = prompt
        self.match = match
    }
}
