import CSextantSystem
import Foundation
import NIOPosix
import Synchronization

/// Group commit for files: callers that wrote and renamed their files wait for one `syncfs` of
/// the filesystem that starts after they arrived, so a burst of uploads pays for one disk flush
/// instead of one (serialized) fsync each.
final class FilesystemFlusher: Sendable {
    private struct State {
        var waiting: [CheckedContinuation<Void, any Error>] = []
        var flushing = false
    }

    private let descriptor: Int32
    private let threads: NIOThreadPool
    private let state = Mutex(State())

    init(directory: String, threads: NIOThreadPool) throws {
        descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BlobStoreError.writeFailed(directory) }
        self.threads = threads
    }

    deinit { close(descriptor) }

    /// Returns once everything written before the call is on disk.
    func flush() async throws {
        try await withCheckedThrowingContinuation { continuation in
            let startsFlushing = state.withLock { state in
                state.waiting.append(continuation)
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startsFlushing { threads.submit { _ in self.flushUntilIdle() } }
        }
    }

    /// Each round flushes for the callers that arrived before it began; later arrivals wait for the next.
    private func flushUntilIdle() {
        while true {
            let round: [CheckedContinuation<Void, any Error>] = state.withLock { state in
                let round = state.waiting
                state.waiting = []
                if round.isEmpty { state.flushing = false }
                return round
            }
            guard !round.isEmpty else { return }
            if sextant_syncfs(descriptor) == 0 {
                for continuation in round { continuation.resume() }
            } else {
                let error = BlobStoreError.writeFailed("syncfs failed: errno \(errno)")
                for continuation in round { continuation.resume(throwing: error) }
            }
        }
    }
}
