import Logging

/// The one place that chooses and opens the storage backend, for the server, every CLI command,
/// the benchmark and the tests.
public enum StoreFactory {
    public static func open(_ configuration: SextantConfiguration, logger: Logger = Logger(label: "sextant")) throws -> SextantStore {
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
