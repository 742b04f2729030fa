import Foundation
import Yams

/// Everything `sextant serve` needs, resolved from flags over environment over file over defaults.
public struct SextantConfiguration: Sendable {
    /// Address to listen on; default 127.0.0.1:8080.
    public var listen: ListenAddress = .init(host: "127.0.0.1", port: 8080)
    /// SQLite database and replay blobs; default ./sextant-data.
    public var dataDirectory: String = "./sextant-data"
    /// The origin clients reach the server at (`https://sextant.example.com`), for OAuth metadata
    /// and links; when nil, each request's Host is used. Behind a proxy, set it.
    public var publicURL: String?
    /// Gates the dashboard and spyglass reads with HTTP Basic auth when set.
    public var dashboardPassword: String?
    public var limits = Limits()
    /// Batch writer tuning.
    public var writer = WriterSettings()
    /// WAL bound, free-disk floor and SQLite memory.
    public var storage = StorageSettings()
    /// Replay chunks and attachments: the data directory, or an S3-compatible bucket.
    public var blobs = BlobSettings()
    /// On SIGTERM, how long to keep serving (healthz 503, `Connection: close`) before shutting
    /// down. Default 2 s; 0 shuts down at once.
    public var shutdownDrainSeconds: Double = 2
    /// Intervals of the background services.
    public var background = BackgroundSettings()
    /// Organizations, projects, keys and tokens upserted at start.
    public var organizations: [OrganizationConfig] = []

    public init() {}

    public struct Limits: Sendable, Equatable {
        /// Request body size on the wire; larger -> 413. Default 10 MiB.
        public var maxBodyBytes = 10 * 1024 * 1024
        /// Request body size after gzip; larger -> 413. Default 50 MiB.
        public var maxDecompressedBytes = 50 * 1024 * 1024
        /// A replay chunk's size on the wire (API.md §4). Default 8 MiB.
        public var maxReplayChunkBytes = 8 * 1024 * 1024
        /// Request bodies held in memory at once, on the wire and inflated, across all requests;
        /// beyond it a request is answered 503 + Retry-After before its body is read. Default 64 MiB
        /// (parsing takes a few times the wire bytes on top, so this bounds several times its size).
        public var maxInFlightBytes = 64 * 1024 * 1024
        /// Open connections at most; further ones wait in the listen backlog. Default 1,000.
        public var maxConnections = 1_000
        /// A request's headers must arrive within this; then its body within `bodyTimeoutSeconds`.
        public var headerTimeoutSeconds: Double = 10
        public var bodyTimeoutSeconds: Double = 60
        /// An idle keep-alive connection is closed after this.
        public var idleTimeoutSeconds: Double = 60

        public init() {}
    }

    public struct WriterSettings: Sendable, Equatable {
        /// Rows waiting for the batch writer beyond which ingest answers 503. Default 200,000.
        public var maxQueuedRows = 200_000
        /// Rows committed in one transaction at most. Default 20,000.
        public var maxRowsPerCommit = 20_000

        public init() {}
    }
}

public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT`.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "127.0.0.1" : host
        self.port = port
    }

    public var isLoopback: Bool { host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.") }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

public struct OrganizationConfig: Sendable, Equatable, Decodable {
    public var id: String
    public var name: String?
    public var tokens: [TokenConfig]
    public var oauthClients: [OAuthClientConfig]
    public var projects: [ProjectConfig]

    public init(id: String, name: String? = nil, tokens: [TokenConfig] = [], oauthClients: [OAuthClientConfig] = [], projects: [ProjectConfig] = []) {
        self.id = id
        self.name = name
        self.tokens = tokens
        self.oauthClients = oauthClients
        self.projects = projects
    }

    enum CodingKeys: String, CodingKey {
        case id, name, tokens, projects
        case oauthClients = "oauth_clients"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        tokens = try c.decodeIfPresent([TokenConfig].self, forKey: .tokens) ?? []
        oauthClients = try c.decodeIfPresent([OAuthClientConfig].self, forKey: .oauthClients) ?? []
        projects = try c.decodeIfPresent([ProjectConfig].self, forKey: .projects) ?? []
    }
}

public struct TokenConfig: Sendable, Equatable, Decodable {
    public var token: String
    public var scopes: [TokenScope]
    public var name: String?

    public init(token: String, scopes: [TokenScope], name: String? = nil) {
        self.token = token
        self.scopes = scopes
        self.name = name
    }
}

public struct OAuthClientConfig: Sendable, Equatable, Decodable {
    public var clientID: String
    public var clientSecret: String
    public var scopes: [TokenScope]

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case clientSecret = "client_secret"
        case scopes
    }
}

public struct ProjectConfig: Sendable, Equatable, Decodable {
    public var slug: String
    public var name: String?
    public var keys: [String]
    public var origins: [String]
    public var serverKey: String?
    public var rateLimit: RateLimit?
    public var monitors: [MonitorConfig]
    public var retention: RetentionDays
    public var signals: [SignalConfig]
    public var webhooks: [WebhookConfig]

    public init(
        slug: String, name: String? = nil, keys: [String] = [], origins: [String] = [], serverKey: String? = nil, rateLimit: RateLimit? = nil,
        monitors: [MonitorConfig] = [], retention: RetentionDays = RetentionDays(), signals: [SignalConfig] = [],
        webhooks: [WebhookConfig] = []
    ) {
        self.signals = signals
        self.webhooks = webhooks
        self.monitors = monitors
        self.retention = retention
        self.slug = slug
        self.name = name
        self.keys = keys
        self.origins = origins
        self.serverKey = serverKey
        self.rateLimit = rateLimit
    }

    enum CodingKeys: String, CodingKey {
        case slug, name, keys, origins
        case serverKey = "server_key"
        case rateLimit = "rate_limit"
        case monitors, signals, webhooks
        case retention = "retention_days"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        slug = try c.decode(String.self, forKey: .slug)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        keys = try c.decodeIfPresent([String].self, forKey: .keys) ?? []
        origins = try c.decodeIfPresent([String].self, forKey: .origins) ?? []
        serverKey = try c.decodeIfPresent(String.self, forKey: .serverKey)
        rateLimit = try c.decodeIfPresent(RateLimit.self, forKey: .rateLimit)
        monitors = try c.decodeIfPresent([MonitorConfig].self, forKey: .monitors) ?? []
        retention = try c.decodeIfPresent(RetentionDays.self, forKey: .retention) ?? RetentionDays()
        signals = try c.decodeIfPresent([SignalConfig].self, forKey: .signals) ?? []
        webhooks = try c.decodeIfPresent([WebhookConfig].self, forKey: .webhooks) ?? []
    }
}

/// Where a project's alerts go, and which of them (API.md §8).
public struct WebhookConfig: Sendable, Equatable, Decodable {
    public var url: String
    public var events: [AlertEvent]

    public init(url: String, events: [AlertEvent] = AlertEvent.allCases) {
        self.url = url
        self.events = events
    }

    enum CodingKeys: String, CodingKey { case url, events }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        events = try c.decodeIfPresent([AlertEvent].self, forKey: .events) ?? AlertEvent.allCases
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
