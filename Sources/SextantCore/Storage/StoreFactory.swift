import Logging

/// The one place that chooses and opens the storage backends, for the server, every CLI command,
/// the benchmark and the tests.
public enum StoreFactory {
    /// Throws, with one line that says what is wrong, when a backend cannot be opened or reached.
    public static func open(_ configuration: SextantConfiguration, logger: Logger = Logger(label: "sextant")) async throws -> SextantStore {
        var store = try openDatabase(configuration, logger: logger)
        if configuration.blobs.backend == .s3 {
            store.blobs = S3BlobStore(client: try S3Client(settings: configuration.blobs.s3))
        }
        do {
            try await store.blobs.checkReachable()
        } catch let error as BlobStoreError {
            throw ConfigurationError("blobs: \(error)")
        }
        return store
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
