import Foundation
import NIOPosix

/// Blobs as files under one directory. A write goes to a temporary file and is renamed into place
/// (readers see the old file or the whole new one); `put` returns once a filesystem flush that
/// began after the rename has completed, so a stored blob survives a crash.
///
/// File I/O runs on a thread pool of its own: flushes block for milliseconds, and on Swift's
/// cooperative pool (one thread per core) they would stall other work. Flushes are grouped
/// (`FilesystemFlusher`): measured here, per-file fsyncs were serialized by the journal at about
/// 70 uploads a second whatever the concurrency.
public struct FileBlobStore: BlobStore {
    let root: URL
    let threads: NIOThreadPool
    let flusher: FilesystemFlusher

    /// Shared by every store in the process; started once, like NIOThreadPool.singleton.
    static let sharedThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 32)
        pool.start()
        return pool
    }()

    public init(root: String) throws {
        self.root = URL(fileURLWithPath: root, isDirectory: true)
        threads = Self.sharedThreads
        try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
        flusher = try FilesystemFlusher(directory: root, threads: threads)
    }

    /// Keys are relative paths built by Sextant from validated parts; anything else is refused.
    func url(for key: String) throws -> URL {
        try BlobKey.validate(key)
        return root.appendingPathComponent(key)
    }

    public func checkReachable() async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BlobStoreError.unreachable("the blob directory \(root.path) is missing")
        }
    }

    public func put(_ bytes: [UInt8], key: String) async throws {
        let destination = try url(for: key)
        try await threads.runIfActive {
            // Keys are content-derived: an existing file already holds these bytes, and a blob a
            // committed row refers to is never rewritten.
            if FileManager.default.fileExists(atPath: destination.path) { return }
            let directory = destination.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tmp")
            do {
                try Self.writeFile(bytes, to: temporary.path)
                guard rename(temporary.path, destination.path) == 0 else { throw BlobStoreError.writeFailed(key) }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw error
            }
        }
        try await flusher.flush()
    }

    public func get(key: String) async throws -> [UInt8]? {
        let source = try url(for: key)
        return try await threads.runIfActive {
            FileManager.default.contents(atPath: source.path).map { [UInt8]($0) }
        }
    }

    public func delete(key: String) async throws {
        let target = try url(for: key)
        try await threads.runIfActive {
            if FileManager.default.fileExists(atPath: target.path) {
                try FileManager.default.removeItem(at: target)
            }
        }
    }

    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw errno == ENOSPC || errno == EDQUOT ? StorageError.diskFull : BlobStoreError.writeFailed(path) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            guard result > 0 else {
                if result < 0, errno == EINTR { continue }
                throw result < 0 && (errno == ENOSPC || errno == EDQUOT) ? StorageError.diskFull : BlobStoreError.writeFailed(path)
            }
            written += result
        }
    }
}
