import Foundation

#if _endian(big)
#error("snapshots store columns in the host's byte order, which is assumed little-endian")
#endif

/// The event index on disk, so that a restart reads only what was committed since the snapshot
/// instead of every event. Columns are written and read straight from and into their arrays, so
/// neither direction holds a second copy of the index in memory. Written to a temporary file,
/// synced and renamed over the old one: a crash leaves the old snapshot or the new one.
enum EventIndexSnapshot {
    static let magic: UInt64 = 0x5345_5854_4958_3033  // "SEXTIX03"
    static let end: UInt64 = 0x454E_445F_4958_3033  // "END_IX03"

    struct Contents {
        var watermark: EventIndexWatermark
        var projects: [Int64: EventColumns]
    }

    static func write(_ contents: Contents, to path: String) throws {
        let temporary = path + ".tmp"
        let writer = try SnapshotWriter(path: temporary)
        do {
            writer.integer(magic)
            writer.integer(contents.watermark.event)
            writer.integer(contents.watermark.tombstone)
            writer.integer(UInt64(contents.projects.count))
            for (id, columns) in contents.projects.sorted(by: { $0.key < $1.key }) {
                writer.integer(id)
                writer.integer(UInt64(columns.kinds.count))
                for kind in columns.kinds {
                    writer.string(kind.type.rawValue)
                    writer.string(kind.name)
                    writer.string(kind.path)
                }
                writer.integer(UInt64(columns.walkers.count))
                for walker in columns.walkers { writer.string(walker) }
                writer.integer(UInt64(columns.partitions.count))
                for partition in columns.partitions {
                    try writer.array(partition.offsets)
                    try writer.array(partition.codes)
                    try writer.array(partition.wideIndexes)
                    try writer.array(partition.wideCodes)
                    try writer.array(partition.timeOffsets)
                    try writer.array(partition.baseStarts)
                    try writer.array(partition.bases)
                }
            }
            writer.integer(end)
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
        guard rename(temporary, path) == 0 else { throw SnapshotError.io("rename", errno) }
    }

    /// The snapshot at `path`; nil when there is none. A damaged one throws.
    static func read(from path: String) throws -> Contents? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let reader = try SnapshotReader(path: path)
        defer { reader.closeFile() }
        guard try reader.integer(UInt64.self) == magic else { throw SnapshotError.damaged("not an event index snapshot") }
        let watermark = EventIndexWatermark(event: try reader.integer(Int64.self), tombstone: try reader.integer(Int64.self))
        var projects: [Int64: EventColumns] = [:]
        for _ in 0..<(try reader.count()) {
            let id = try reader.integer(Int64.self)
            var kinds: [EventKind] = []
            for _ in 0..<(try reader.count()) {
                guard let type = EventType(rawValue: try reader.string() ?? "") else { throw SnapshotError.damaged("event type") }
                kinds.append(EventKind(type: type, name: try reader.string() ?? "", path: try reader.string()))
            }
            var walkers: [String] = []
            for _ in 0..<(try reader.count()) { walkers.append(try reader.string() ?? "") }
            var partitions: [WalkerPartition] = []
            for _ in 0..<(try reader.count()) {
                let partition = WalkerPartition(offsets: try reader.array(), codes: try reader.array(), wideIndexes: try reader.array(),
                                                wideCodes: try reader.array(), timeOffsets: try reader.array(), baseStarts: try reader.array(),
                                                bases: try reader.array())
                guard partition.isConsistent,
                      partition.codes.allSatisfy({ $0 == WalkerPartition.wide || Int($0) < kinds.count }),
                      partition.wideCodes.allSatisfy({ Int($0) < kinds.count }) else { throw SnapshotError.damaged("partition") }
                partitions.append(partition)
            }
            guard walkers.count <= partitions.count * EventColumns.walkersPerPartition + 1 else { throw SnapshotError.damaged("walkers") }
            projects[id] = EventColumns(kinds: kinds, walkers: walkers, partitions: partitions)
        }
        guard try reader.integer(UInt64.self) == end else { throw SnapshotError.damaged("no end marker") }
        return Contents(watermark: watermark, projects: projects)
    }
}

enum SnapshotError: Error, CustomStringConvertible {
    case io(String, Int32)
    case damaged(String)

    var description: String {
        switch self {
        case .io(let operation, let code): "\(operation) failed: \(String(cString: strerror(code)))"
        case .damaged(let what): "damaged snapshot: \(what)"
        }
    }
}

/// Buffered writes to a file descriptor; arrays go out from their own storage.
final class SnapshotWriter {
    private let descriptor: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private var failure: SnapshotError?

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw SnapshotError.io("open \(path)", errno) }
        buffer.reserveCapacity(1 << 16)
    }

    func integer<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
        if buffer.count >= 1 << 16 { flush() }
    }

    func string(_ value: String?) {
        guard let value else { return integer(UInt32.max) }
        let bytes = Array(value.utf8)
        integer(UInt32(bytes.count))
        buffer.append(contentsOf: bytes)
    }

    func array<T: FixedWidthInteger>(_ values: ContiguousArray<T>) throws {
        integer(UInt64(values.count))
        flush()
        values.withUnsafeBytes { writeAll($0) }
        if let failure { throw failure }
    }

    private func flush() {
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count, failure == nil {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno != EINTR { failure = .io("write", errno) }
                continue
            }
            offset += written
        }
    }

    func finish() throws {
        flush()
        if let failure { throw failure }
        guard fsync(descriptor) == 0 else { throw SnapshotError.io("fsync", errno) }
        guard close(descriptor) == 0 else { throw SnapshotError.io("close", errno) }
    }

    func abandon() {
        close(descriptor)
        unlink(path)
    }
}

/// Buffered reads from a file descriptor; arrays are read into their own storage.
final class SnapshotReader {
    private let descriptor: Int32
    /// Bytes not yet read: no count may ask for more.
    private var remaining: Int

    init(path: String) throws {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw SnapshotError.io("open \(path)", errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw SnapshotError.io("fstat", errno)
        }
        remaining = Int(status.st_size)
    }

    func closeFile() { close(descriptor) }

    private func readExactly(_ target: UnsafeMutableRawBufferPointer) throws {
        guard target.count <= remaining else { throw SnapshotError.damaged("truncated") }
        remaining -= target.count
        var offset = 0
        while offset < target.count {
            let count = read(descriptor, target.baseAddress! + offset, target.count - offset)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw SnapshotError.damaged("truncated") }
            offset += count
        }
    }

    func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        var value = T.zero
        try withUnsafeMutableBytes(of: &value) { try readExactly($0) }
        return T(littleEndian: value)
    }

    /// A count of items of at least `itemSize` bytes each, which must fit in what is left of
    /// the file before anything is allocated for them.
    func count(itemSize: Int = 1) throws -> Int {
        let value = try integer(UInt64.self)
        guard value <= UInt64(remaining / itemSize) else { throw SnapshotError.damaged("count") }
        return Int(value)
    }

    func string() throws -> String? {
        let length = try integer(UInt32.self)
        guard length != UInt32.max else { return nil }
        guard Int(length) <= remaining else { throw SnapshotError.damaged("string length") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        try bytes.withUnsafeMutableBytes { try readExactly($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    func array<T: FixedWidthInteger>() throws -> ContiguousArray<T> {
        let count = try count(itemSize: MemoryLayout<T>.size)
        return try ContiguousArray(unsafeUninitializedCapacity: count) { buffer, initialized in
            try readExactly(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }
}
