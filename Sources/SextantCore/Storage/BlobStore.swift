/// Opaque byte storage for replay chunks and attachments: files, or an S3-compatible bucket.
public protocol BlobStore: Sendable {
    /// Stores `bytes` under `key` durably, and atomically: readers see no object or the whole one.
    func put(_ bytes: [UInt8], key: String) async throws
    func get(key: String) async throws -> [UInt8]?
    func delete(key: String) async throws
    /// Throws when the store cannot be reached (for `/healthz` and the check at start).
    func checkReachable() async throws
}

public enum BlobStoreError: Error, CustomStringConvertible {
    case invalidKey(String)
    case writeFailed(String)
    case unreachable(String)

    public var description: String {
        switch self {
        case .invalidKey(let key): "invalid blob key \(key)"
        case .writeFailed(let key): "could not write blob \(key)"
        case .unreachable(let reason): reason
        }
    }
}

/// Keys are relative paths built by Sextant from validated parts; anything else is refused, by
/// every backend alike.
enum BlobKey {
    static func validate(_ key: String) throws {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, key.utf8.count <= 1024, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw BlobStoreError.invalidKey(key)
        }
    }
}
