import Foundation
import Yams

/// The YAML (or JSON) file's shape; every field is optional.
struct ConfigurationFile: Decodable {
    var listen: String?
    var dataDir: String?
    var dashboardPassword: String?
    var publicURL: String?
    var shutdownDrainSeconds: Double?
    var limits: LimitsFile?
    var background: BackgroundSettings?
    var storage: StorageSettings?
    var blobs: BlobSettings?
    var organizations: [OrganizationConfig]?

    struct LimitsFile: Decodable {
        var maxBodyBytes: Int?
        var maxDecompressedBytes: Int?
        var maxInFlightBytes: Int?
        var maxConnections: Int?
        var headerTimeoutSeconds: Double?
        var bodyTimeoutSeconds: Double?
        var idleTimeoutSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case maxBodyBytes = "max_body_bytes"
            case maxDecompressedBytes = "max_decompressed_bytes"
            case maxInFlightBytes = "max_in_flight_bytes"
            case maxConnections = "max_connections"
            case headerTimeoutSeconds = "header_timeout_seconds"
            case bodyTimeoutSeconds = "body_timeout_seconds"
            case idleTimeoutSeconds = "idle_timeout_seconds"
        }
    }

    enum CodingKeys: String, CodingKey {
        case listen, limits, organizations, background, storage, blobs
        case dataDir = "data_dir"
        case dashboardPassword = "dashboard_password"
        case publicURL = "public_url"
        case shutdownDrainSeconds = "shutdown_drain_seconds"
    }
}

extension SextantConfiguration {
    /// Resolves the configuration: `flags` over `environment` over the file at `path` over defaults.
    public static func load(
        file path: String?, environment: [String: String], listen: String? = nil, dataDirectory: String? = nil
    ) throws -> SextantConfiguration {
        var configuration = SextantConfiguration()
        if let path {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError("cannot read configuration file \(path): \(error.localizedDescription)")
            }
            try configuration.apply(try parseFile(text, path: path))
        }
        try configuration.applyEnvironment(environment)
        if let listen { try configuration.setListen(listen, from: "--listen") }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        try configuration.validate()
        return configuration
    }

    static func parseFile(_ text: String, path: String) throws -> ConfigurationFile {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return ConfigurationFile() }
        do {
            return try YAMLDecoder().decode(ConfigurationFile.self, from: text)
        } catch {
            throw ConfigurationError("invalid configuration file \(path): \(error)")
        }
    }

    mutating func apply(_ file: ConfigurationFile) throws {
        if let listen = file.listen { try setListen(listen, from: "listen") }
        if let dataDir = file.dataDir { dataDirectory = dataDir }
        if let password = file.dashboardPassword, !password.isEmpty { dashboardPassword = password }
        if let url = file.publicURL, !url.isEmpty { publicURL = url }
        if let seconds = file.shutdownDrainSeconds { shutdownDrainSeconds = seconds }
        if let maxBody = file.limits?.maxBodyBytes { limits.maxBodyBytes = maxBody }
        if let maxDecompressed = file.limits?.maxDecompressedBytes { limits.maxDecompressedBytes = maxDecompressed }
        if let value = file.limits?.maxInFlightBytes { limits.maxInFlightBytes = value }
        if let value = file.limits?.maxConnections { limits.maxConnections = value }
        if let value = file.limits?.headerTimeoutSeconds { limits.headerTimeoutSeconds = value }
        if let value = file.limits?.bodyTimeoutSeconds { limits.bodyTimeoutSeconds = value }
        if let value = file.limits?.idleTimeoutSeconds { limits.idleTimeoutSeconds = value }
        if let background = file.background { self.background = background }
        if let storage = file.storage { self.storage = storage }
        if let blobs = file.blobs { self.blobs = blobs }
        organizations = file.organizations ?? []
    }

    mutating func applyEnvironment(_ environment: [String: String]) throws {
        for (name, keyPath) in BackgroundSettings.environmentKeys {
            guard let text = environment.value(name) else { continue }
            guard let seconds = Double(text) else { throw ConfigurationError("\(name): expected a number of seconds, got \"\(text)\"") }
            background[keyPath: keyPath] = seconds
        }
        if let listen = environment.value("SEXTANT_LISTEN") { try setListen(listen, from: "SEXTANT_LISTEN") }
        if let dataDir = environment.value("SEXTANT_DATA_DIR") { dataDirectory = dataDir }
        if let url = environment.value("SEXTANT_PUBLIC_URL") { publicURL = url }
        if let text = environment.value("SEXTANT_SHUTDOWN_DRAIN_SECONDS") {
            guard let seconds = Double(text) else { throw ConfigurationError("SEXTANT_SHUTDOWN_DRAIN_SECONDS: expected seconds, got \"\(text)\"") }
            shutdownDrainSeconds = seconds
        }
        if let password = try environment.secret("SEXTANT_DASHBOARD_PASSWORD") { dashboardPassword = password }
        try applyStorageEnvironment(environment)
    }

    mutating func setListen(_ text: String, from source: String) throws {
        guard let address = ListenAddress(parsing: text) else {
            throw ConfigurationError("\(source): expected HOST:PORT, got \"\(text)\"")
        }
        listen = address
    }

    /// Refuses configurations whose records would collide in the store.
    func validate() throws {
        guard limits.maxBodyBytes > 0, limits.maxDecompressedBytes > 0, limits.maxInFlightBytes > 0, limits.maxConnections > 0,
              [limits.headerTimeoutSeconds, limits.bodyTimeoutSeconds, limits.idleTimeoutSeconds].allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 86_400 })
        else {
            throw ConfigurationError("limits must be positive (timeouts at most 86400 seconds)")
        }
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  url.path.isEmpty || url.path == "/", url.query == nil else {
                throw ConfigurationError("public_url must be an http(s) origin such as https://sextant.example.com, got \(publicURL)")
            }
        }
        guard shutdownDrainSeconds.isFinite, (0...300).contains(shutdownDrainSeconds) else {
            throw ConfigurationError("shutdown_drain_seconds must be between 0 and 300")
        }
        try background.validate()
        try storage.validate()
        try blobs.validate()
        var organizationIDs = Set<String>()
        var slugs = Set<String>()
        var keys = Set<String>()
        for organization in organizations {
            guard !organization.id.isEmpty else { throw ConfigurationError("an organization has an empty id") }
            guard organizationIDs.insert(organization.id).inserted else {
                throw ConfigurationError("organization \(organization.id) is listed twice")
            }
            for project in organization.projects {
                guard ProjectSlug.isValid(project.slug) else {
                    throw ConfigurationError("project slug \"\(project.slug)\" must be 1-64 characters of a-z, 0-9, - and _")
                }
                guard slugs.insert(project.slug).inserted else {
                    throw ConfigurationError("project \(project.slug) is listed twice")
                }
                for key in project.keys + (project.serverKey.map { [$0] } ?? []) {
                    guard !key.isEmpty else { throw ConfigurationError("project \(project.slug) has an empty key") }
                    guard keys.insert(key).inserted else {
                        throw ConfigurationError("key \(key.prefix(12))… is configured twice; a key belongs to one project")
                    }
                }
                var monitorSlugs = Set<String>()
                for monitor in project.monitors {
                    guard ProjectSlug.isValid(monitor.slug), monitorSlugs.insert(monitor.slug).inserted else {
                        throw ConfigurationError("project \(project.slug): monitor slug \"\(monitor.slug)\" is invalid or listed twice")
                    }
                    do {
                        _ = try MonitorSchedule(parsing: monitor.schedule)
                    } catch {
                        throw ConfigurationError("project \(project.slug), monitor \(monitor.slug): \(error)")
                    }
                    guard monitor.graceSeconds >= 0 else { throw ConfigurationError("monitor \(monitor.slug): grace_seconds must not be negative") }
                }
                if project.retention.byKind.contains(where: { $0.1 < 0 }) {
                    throw ConfigurationError("project \(project.slug): retention_days must not be negative (0 keeps data forever)")
                }
                if let rate = project.rateLimit, rate.requestsPerSecond <= 0 || rate.burst < 1 {
                    throw ConfigurationError("project \(project.slug): rate_limit needs requests_per_second > 0 and burst >= 1")
                }
            }
        }
    }
}

public enum ProjectSlug {
    public static func isValid(_ slug: String) -> Bool {
        !slug.isEmpty && slug.count <= 64 && slug.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "_") || (byte >= 0x41 && byte <= 0x5A)
        }
    }
}
