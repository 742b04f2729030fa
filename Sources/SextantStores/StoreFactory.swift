import Foundation
import Logging
import SextantCore
import SextantPostgres

/// The one place that chooses and opens the storage backends, for the server, every CLI command,
/// the benchmark and the tests.
public enum StoreFactory {
    /// Opens the store the configuration names and runs `body` with it. On PostgreSQL the
    /// connection pool runs for as long as `body` does. Throws, with one line that says what is
    /// wrong, when a backend cannot be opened or reached.
    public static func withStore<Result: Sendable>(
        _ configuration: SextantConfiguration, logger: Logger = Logger(label: "sextant"), _ body: (SextantStore) async throws -> Result
    ) async throws -> Result {
        switch configuration.storage.backend {
        case .sqlite:
            return try await body(try await open(configuration, logger: logger))
        case .postgres:
            guard let url = configuration.storage.postgresURL else { throw ConfigurationError("storage.postgres_url is not set") }
            let database = try PostgresBackend(url: url, maximumConnections: configuration.storage.postgresConnections, logger: logger)
            do {
                try await database.probe()
            } catch {
                throw ConfigurationError("storage: PostgreSQL at \(PostgresBackend.describe(url)) cannot be used: \(PostgresBackend.reason(error))")
            }
            return try await database.withRunning {
                do {
                    try await database.migrate()
                } catch {
                    throw ConfigurationError("storage: PostgreSQL at \(PostgresBackend.describe(url)) cannot be used: \(PostgresBackend.reason(error))")
                }
                let store = database.makeStore(blobs: try blobs(configuration), dataDirectory: configuration.dataDirectory)
                try await checkBlobs(store.blobs)
                return try await body(store)
            }
        }
    }

    /// The embedded store, SQLite in the data directory with the configured blobs, which needs no
    /// running pool: what `buildApplication` opens when it is given no store.
    public static func open(_ configuration: SextantConfiguration, logger: Logger = Logger(label: "sextant")) async throws -> SextantStore {
        guard configuration.storage.backend == .sqlite else {
            throw ConfigurationError("storage.backend postgres is opened with StoreFactory.withStore, which runs its connection pool")
        }
        var store = try openDatabase(configuration, logger: logger)
        if configuration.blobs.backend == .s3 { store.blobs = try blobs(configuration) }
        try await checkBlobs(store.blobs)
        return store
    }

    /// The configured blob store: a bucket, or a directory beside the database.
    static func blobs(_ configuration: SextantConfiguration) throws -> any BlobStore {
        switch configuration.blobs.backend {
        case .s3: S3BlobStore(client: try S3Client(settings: configuration.blobs.s3))
        case .filesystem: try FileBlobStore(root: (configuration.dataDirectory as NSString).appendingPathComponent("blobs"))
        }
    }

    static func checkBlobs(_ blobs: any BlobStore) async throws {
        do {
            try await blobs.checkReachable()
        } catch let error as BlobStoreError {
            throw ConfigurationError("blobs: \(error)")
        }
    }

    static func openDatabase(_ configuration: SextantConfiguration, logger: Logger) throws -> SextantStore {
        let open = { try SQLiteDatabase.makeStore(directory: configuration.dataDirectory, settings: configuration.storage) }
        do {
            return try open()
        } catch {
            // On a full disk the database cannot create its log files: free the reserve and retry,
            // so the server starts and serves reads while DiskSpaceGuard refuses ingest.
            let reserve = DiskReserve(directory: configuration.dataDirectory, bytes: configuration.storage.reserveBytes)
            guard reserve.release() else { throw error }
            logger.warning("the store could not open (\(error)); released the disk reserve to open it")
            return try open()
        }
    }
}
