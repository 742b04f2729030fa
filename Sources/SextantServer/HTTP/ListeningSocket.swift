#if canImport(Glibc)
import Glibc
#endif
import SextantCore

/// Process-level care for the listening socket.
enum ListeningSocket {
    /// Marks every open descriptor close-on-exec. After a crash, Swift's backtracer is spawned
    /// from this process; a listening socket it inherits keeps the port bound for as long as the
    /// backtracer runs (16 minutes was seen), so every restart failed with "Address already in
    /// use". Called once the server listens, when the listening socket exists.
    static func closeOnExecEverything() {
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let descriptor = Int32(name) { descriptors.append(descriptor) }
        }
        for descriptor in descriptors {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Whether `address` can be bound now; checked before anything is printed or written, so a
    /// busy port fails with one clear line instead of after first-run credentials.
    static func isFree(_ address: ListenAddress) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(address.host, String(address.port), &hints, &results) == 0, let first = results else { return true }
        defer { freeaddrinfo(results) }
        let probe = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return true }
        defer { close(probe) }
        var yes: Int32 = 1
        _ = setsockopt(probe, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        return bind(probe, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0
    }
}
