import Foundation

/// A file of reserved space in the data directory. When the disk is already full at start, the
/// store cannot even open (SQLite must create its shared-memory and log files), so the reserve is
/// released to make room for that; ingest stays refused by `DiskSpaceGuard` and reads are served.
/// The reserve is laid down again once space is back above the floor.
public struct DiskReserve: Sendable {
    public static let fileName = "sextant.reserve"
    let path: String
    let bytes: Int64

    public init(directory: String, bytes: Int64) {
        path = (directory as NSString).appendingPathComponent(Self.fileName)
        self.bytes = bytes
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: path) }

    /// Removes the reserve; returns whether there was one to free.
    @discardableResult
    public func release() -> Bool {
        guard exists else { return false }
        return (try? FileManager.default.removeItem(atPath: path)) != nil
    }

    /// Writes the reserve when it is missing; a failed attempt leaves no partial file.
    public func lay() throws {
        guard bytes > 0, !exists else { return }
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StorageError.diskFull }
        defer { close(descriptor) }
        // Real blocks, not a sparse file: the point is to hold the space.
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var remaining = bytes
        while remaining > 0 {
            let count = Int(min(remaining, Int64(zeros.count)))
            let written = zeros.withUnsafeBytes { write(descriptor, $0.baseAddress!, count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                unlink(temporary)
                throw StorageError.diskFull
            }
            remaining -= Int64(written)
        }
        guard fsync(descriptor) == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw StorageError.diskFull
        }
    }
}
