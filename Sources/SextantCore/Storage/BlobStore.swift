/// Opaque byte storage for replay chunks (a filesystem today, object storage later).
public protocol BlobStore: Sendable {
    /// Stores `bytes` under `key` atomically: readers see the old object or the whole new one.
    func put(_ bytes: [UInt8], key: String) async throws
    func get(key: String) async throws -> [UInt8]?
    func delete(key: String) async throws
}
