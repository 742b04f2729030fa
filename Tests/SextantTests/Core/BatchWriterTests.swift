import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import Testing
@testable import SextantCore

/// An ingest store that records commits and can be told to fail or stall.
final class RecordingIngestStore: IngestStore {
    let commits = Mutex<[[Int]]>([])
    let failWhenContaining = Mutex<Int?>(nil)
    /// The held first commit's continuation, or `released` when release() came before the hold.
    let gate = Mutex<(continuation: CheckedContinuation<Void, Never>?, released: Bool)>((nil, false))
    let holdFirstCommit: Bool
    let started = AsyncStream<Void>.makeStream()
    let concurrentCommits: Int

    init(holdFirstCommit: Bool = false, concurrentCommits: Int = 1) {
        self.holdFirstCommit = holdFirstCommit
        self.concurrentCommits = concurrentCommits
    }

    func commit(_ items: [IngestItem]) async throws -> [IngestOutcome] {
        let sizes = items.map { item -> Int in
            if case .events(let batch) = item { return batch.events.count }
            return 0
        }
        let isFirst = commits.withLock { commits in
            commits.append(sizes)
            return commits.count == 1
        }
        if holdFirstCommit, isFirst {
            started.continuation.yield()
            await withCheckedContinuation { continuation in
                let resumeNow = gate.withLock { gate in
                    if gate.released { return true }
                    gate.continuation = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        if let poison = failWhenContaining.withLock({ $0 }), sizes.contains(poison) {
            throw TestFailure("poisoned batch")
        }
        return items.map { _ in .stored }
    }

    func release() {
        let held = gate.withLock { gate in
            gate.released = true
            defer { gate.continuation = nil }
            return gate.continuation
        }
        held?.resume()
    }
}

func batch(_ count: Int) -> IngestItem {
    .events(EventBatch(projectID: 1, receivedAt: 0, events: Array(repeating: IngestEvent(ts: 1, type: .event, name: "x"), count: count)))
}

/// Waits until `writer` holds `count` queued requests (a deadline, never a fixed sleep).
func waitUntilQueued(_ writer: BatchWriter, count: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while writer.queuedRequestCount < count {
        guard ContinuousClock.now < deadline else { throw TestFailure("the writer never queued \(count) requests") }
        try await Task.sleep(for: .milliseconds(5))
    }
}

@Suite struct BatchWriterTests {
    func withRunningWriter(
        store: RecordingIngestStore, settings: SextantConfiguration.WriterSettings = .init(),
        _ body: (BatchWriter) async throws -> Void
    ) async throws {
        let writer = BatchWriter(store: store, settings: settings, logger: Logger(label: "test"), metrics: NOOPMetricsHandler.instance)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await writer.run() }
            try await body(writer)
            group.cancelAll()
        }
    }

    @Test func requestsQueuedDuringACommitShareTheNextOne() async throws {
        let store = RecordingIngestStore(holdFirstCommit: true)
        try await withRunningWriter(store: store) { writer in
            try await withThrowingTaskGroup(of: IngestOutcome.self) { group in
                group.addTask { try await writer.submit(batch(1)) }
                var iterator = store.started.stream.makeAsyncIterator()
                await iterator.next()
                for size in 2...6 { group.addTask { try await writer.submit(batch(size)) } }
                try await waitUntilQueued(writer, count: 5)
                store.release()
                for try await outcome in group { #expect(outcome == .stored) }
            }
            let commits = store.commits.withLock { $0 }
            #expect(commits.count == 2)
            #expect(commits[1].sorted() == [2, 3, 4, 5, 6])
        }
    }

    @Test func aStoreThatWritesInParallelGetsTheNextCommitWhileOneIsInFlight() async throws {
        let store = RecordingIngestStore(holdFirstCommit: true, concurrentCommits: 2)
        try await withRunningWriter(store: store) { writer in
            async let first = writer.submit(batch(1))
            var iterator = store.started.stream.makeAsyncIterator()
            await iterator.next()
            // Answered while the first commit is still held: it went in a second, parallel commit.
            let second = try await writer.submit(batch(2))
            store.release()
            let firstOutcome = try await first
            #expect(second == .stored && firstOutcome == .stored)
            let commits = store.commits.withLock { $0 }
            #expect(commits == [[1], [2]])
        }
    }

    @Test func aFullQueueRefusesInsteadOfGrowing() async throws {
        let store = RecordingIngestStore(holdFirstCommit: true)
        var settings = SextantConfiguration.WriterSettings()
        settings.maxQueuedRows = 10
        try await withRunningWriter(store: store, settings: settings) { writer in
            async let first = writer.submit(batch(1))
            var iterator = store.started.stream.makeAsyncIterator()
            await iterator.next()
            async let queued = writer.submit(batch(8))
            try await waitUntilQueued(writer, count: 1)
            await #expect(throws: BatchWriterError.overloaded) { try await writer.submit(batch(5)) }
            store.release()
            #expect(try await first == .stored)
            #expect(try await queued == .stored)
        }
    }

    @Test func oneBadRequestDoesNotFailItsNeighbours() async throws {
        let store = RecordingIngestStore(holdFirstCommit: true)
        store.failWhenContaining.withLock { $0 = 7 }
        try await withRunningWriter(store: store) { writer in
            async let first = writer.submit(batch(1))
            var iterator = store.started.stream.makeAsyncIterator()
            await iterator.next()
            async let good = writer.submit(batch(2))
            async let bad = writer.submit(batch(7))
            try await waitUntilQueued(writer, count: 2)
            store.release()
            #expect(try await first == .stored)
            #expect(try await good == .stored)
            do {
                _ = try await bad
                Issue.record("the poisoned request should have failed")
            } catch is TestFailure {}
        }
    }

    @Test func gracefulShutdownCommitsWhatWasAccepted() async throws {
        let store = RecordingIngestStore()
        let writer = BatchWriter(store: store, settings: .init(), logger: Logger(label: "test"), metrics: NOOPMetricsHandler.instance)
        let group = ServiceGroup(configuration: .init(services: [writer], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await writer.submit(batch(3)) == .stored)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await #expect(throws: BatchWriterError.closed) { try await writer.submit(batch(1)) }
    }
}
