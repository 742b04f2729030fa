/// An organization owns projects and Data API tokens.
public struct Organization: Sendable, Equatable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// Per-project token bucket settings (API.md §7).
public struct RateLimit: Sendable, Equatable, Codable {
    public var requestsPerSecond: Double
    public var burst: Int

    public static let `default` = RateLimit(requestsPerSecond: 100, burst: 200)

    public init(requestsPerSecond: Double, burst: Int) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }

    enum CodingKeys: String, CodingKey {
        case requestsPerSecond = "requests_per_second"
        case burst
    }
}

/// A project: spyglass's `app`, the unit that ingest keys write into.
public struct Project: Sendable, Equatable {
    public var id: Int64
    public var slug: String
    public var organizationID: String
    public var name: String
    /// Browser origins allowed to send; empty or containing "*" allows every origin.
    public var origins: [String]
    public var rateLimit: RateLimit
    public var retention: RetentionDays

    public init(
        id: Int64, slug: String, organizationID: String, name: String, origins: [String],
        rateLimit: RateLimit = .default, retention: RetentionDays = RetentionDays()
    ) {
        self.retention = retention
        self.id = id
        self.slug = slug
        self.organizationID = organizationID
        self.name = name
        self.origins = origins
        self.rateLimit = rateLimit
    }

    public func allowsOrigin(_ origin: String) -> Bool {
        origins.isEmpty || origins.contains("*") || origins.contains(origin)
    }
}

/// What an ingest key authenticates: the project, and whether it is a server key (no origin check).
public struct IngestCredential: Sendable, Equatable {
    public var project: Project
    public var isServerKey: Bool

    public init(project: Project, isServerKey: Bool) {
        self.project = project
        self.isServerKey = isServerKey
    }
}

/// Data API scopes (Lucent's).
public enum TokenScope: String, Sendable, CaseIterable, Codable {
    case readLucent = "read:lucent"
    case writeIssues = "write:issues"
}

/// Where a record came from: configuration records are re-upserted at every start.
public enum RecordSource: String, Sendable {
    case configuration = "config"
    case cli
    case bootstrap
    case dashboard
}

/// An ingest key as listed by the CLI.
public struct IngestKeyInfo: Sendable, Equatable {
    public var key: String
    public var projectSlug: String
    public var source: String
    public var createdAt: Int64
    public var revokedAt: Int64?
    /// The OAuth client an access token was issued to; its tokens share one rate limit.
    public var clientID: String? = nil

    package init(key: String, projectSlug: String, source: String, createdAt: Int64, revokedAt: Int64?) {
        self.key = key
        self.projectSlug = projectSlug
        self.source = source
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A Data API token as listed by the CLI (never the token itself, which is stored hashed).
public struct APITokenInfo: Sendable, Equatable {
    public var id: String
    public var organizationID: String
    public var displayPrefix: String
    public var name: String?
    public var scopes: [TokenScope]
    public var createdAt: Int64
    public var revokedAt: Int64?
    /// The OAuth client an access token was issued to; its tokens share one rate limit.
    public var clientID: String? = nil
    /// `config` when the configuration file declares it (it comes back at every start).
    public var source: String = RecordSource.cli.rawValue

    package init(
        id: String, organizationID: String, displayPrefix: String, name: String?, scopes: [TokenScope], createdAt: Int64, revokedAt: Int64?,
        clientID: String? = nil, source: String = RecordSource.cli.rawValue
    ) {
        self.id = id
        self.organizationID = organizationID
        self.displayPrefix = displayPrefix
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.clientID = clientID
        self.source = source
    }

    /// Enough of a token to recognise it in a listing, never enough to use it.
    package static func displayPrefix(of token: String) -> String {
        let visible = token.hasPrefix("luc_") || token.hasPrefix("sx_") ? 12 : 6
        return String(token.prefix(min(visible, token.count / 2))) + "…"
    }
}
