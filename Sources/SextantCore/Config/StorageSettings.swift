import Foundation

/// Bounds on what the embedded store may take from the machine: the SQLite write-ahead log's
/// size, and the free disk space below which ingest is refused instead of failing writes.
public struct StorageSettings: Sendable, Equatable, Decodable {
    public enum Backend: String, Sendable, Equatable, Decodable, CaseIterable {
        case sqlite
        case postgres
    }

    /// The database: SQLite in the data directory (the embedded default) or PostgreSQL.
    public var backend: Backend = .sqlite
    /// `postgres://user:password@host:5432/database`, for `backend: postgres`.
    public var postgresURL: String?
    /// Connections each node keeps to PostgreSQL at most. Default 20.
    public var postgresConnections = 20
    /// The WAL stays below this at sustained ingest (SQLiteWALLimit says how). Default 256 MiB.
    public var maxWALBytes: Int64 = 256 << 20
    /// Ingest answers 507 while the data directory's filesystem has less free space than the
    /// smaller of these two (so a small disk is not refused forever). Defaults 1 GiB and 5 %.
    public var minFreeBytes: Int64 = 1 << 30
    public var minFreePercent: Double = 5
    /// Space held in `sextant.reserve`, released so the store can open on a full disk. Default 16 MiB.
    public var reserveBytes: Int64 = 16 << 20
    /// SQLite page cache of the one writer connection and of each reader connection, in KiB.
    public var writerCacheKiB = 65_536
    public var readerCacheKiB = 8_192
    /// Concurrent read connections (each with its own cache).
    public var maxReaders = 4

    public init() {}

    /// Free bytes below which the filesystem of `totalBytes` counts as low.
    public func freeFloor(totalBytes: Int64) -> Int64 {
        min(minFreeBytes, Int64(Double(totalBytes) * minFreePercent / 100))
    }

    enum CodingKeys: String, CodingKey {
        case backend
        case postgresURL = "postgres_url"
        case postgresConnections = "postgres_connections"
        case maxWALBytes = "max_wal_bytes"
        case minFreeBytes = "min_free_bytes"
        case minFreePercent = "min_free_percent"
        case reserveBytes = "reserve_bytes"
        case writerCacheKiB = "writer_cache_kib"
        case readerCacheKiB = "reader_cache_kib"
        case maxReaders = "max_readers"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = StorageSettings()
        backend = try c.decode(.backend, or: defaults.backend)
        postgresURL = try c.decodeIfPresent(String.self, forKey: .postgresURL)
        postgresConnections = try c.decode(.postgresConnections, or: defaults.postgresConnections)
        maxWALBytes = try c.decode(.maxWALBytes, or: defaults.maxWALBytes)
        minFreeBytes = try c.decode(.minFreeBytes, or: defaults.minFreeBytes)
        minFreePercent = try c.decode(.minFreePercent, or: defaults.minFreePercent)
        reserveBytes = try c.decode(.reserveBytes, or: defaults.reserveBytes)
        writerCacheKiB = try c.decode(.writerCacheKiB, or: defaults.writerCacheKiB)
        readerCacheKiB = try c.decode(.readerCacheKiB, or: defaults.readerCacheKiB)
        maxReaders = try c.decode(.maxReaders, or: defaults.maxReaders)
    }

    func validate() throws {
        // Refused here, at start, rather than found missing at the first write.
        if backend == .postgres {
            guard let url = postgresURL else {
                throw ConfigurationError("storage.backend postgres needs storage.postgres_url (or SEXTANT_POSTGRES_URL)")
            }
            guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? ""),
                  components.host?.isEmpty == false, components.path.count > 1 else {
                throw ConfigurationError("storage.postgres_url must look like postgres://user:password@host:5432/database")
            }
            guard (1...1000).contains(postgresConnections) else {
                throw ConfigurationError("storage.postgres_connections must be between 1 and 1000, got \(postgresConnections)")
            }
        }
        guard maxWALBytes >= 4 << 20, maxWALBytes <= 1 << 40 else {
            throw ConfigurationError("storage.max_wal_bytes must be between 4 MiB and 1 TiB, got \(maxWALBytes)")
        }
        guard minFreeBytes >= 0, reserveBytes >= 0, reserveBytes <= 1 << 34, minFreePercent.isFinite, (0...50).contains(minFreePercent) else {
            throw ConfigurationError("storage: min_free_bytes must not be negative, reserve_bytes must be 0-16 GiB, min_free_percent 0-50")
        }
        guard (256...4_194_304).contains(writerCacheKiB), (64...4_194_304).contains(readerCacheKiB), (1...64).contains(maxReaders) else {
            throw ConfigurationError("storage: writer_cache_kib 256-4194304, reader_cache_kib 64-4194304 and max_readers 1-64")
        }
    }
}
