import Foundation

/// Blobs as files under one directory; writes go to a temporary file, are synced, then renamed.
public struct FileBlobStore: BlobStore {
    let root: URL

    public init(root: String) throws {
        self.root = URL(fileURLWithPath: root, isDirectory: true)
        try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
    }

    /// Keys are relative paths built by Sextant from validated parts; anything else is refused.
    func url(for key: String) throws -> URL {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw BlobStoreError.invalidKey(key)
        }
        return root.appendingPathComponent(key)
    }

    public func put(_ bytes: [UInt8], key: String) async throws {
        let destination = try url(for: key)
        let directory = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw BlobStoreError.writeFailed(key)
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        guard rename(temporary.path, destination.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw BlobStoreError.writeFailed(key)
        }
    }

    public func get(key: String) async throws -> [UInt8]? {
        let source = try url(for: key)
        guard let data = FileManager.default.contents(atPath: source.path) else { return nil }
        return [UInt8](data)
    }

    public func delete(key: String) async throws {
        let target = try url(for: key)
        if FileManager.default.fileExists(atPath: target.path) {
            try FileManager.default.removeItem(at: target)
        }
    }
}

public enum BlobStoreError: Error, CustomStringConvertible {
    case invalidKey(String)
    case writeFailed(String)

    public var description: String {
        switch self {
        case .invalidKey(let key): "invalid blob key \(key)"
        case .writeFailed(let key): "could not write blob \(key)"
        }
    }
}
