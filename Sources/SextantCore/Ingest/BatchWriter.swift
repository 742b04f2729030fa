import CoreMetrics
import Logging
import ServiceLifecycle
import Synchronization

public enum BatchWriterError: Error, Equatable {
    /// The queue is full: the client should retry after a moment (503 + Retry-After).
    case overloaded
    /// The server is shutting down and takes no more writes.
    case closed
    /// Free disk space is below the floor: retry when it returns (507 + Retry-After).
    case diskLow
}

/// The one writer of ingested data: requests hand it items and wait; it commits everything queued
/// in one transaction (group commit) and answers each request only once its rows are committed.
/// Where the store writes in parallel (`concurrentCommits`), several such commits are in flight.
public final class BatchWriter: Service {
    private struct Pending {
        var item: IngestItem
        var continuation: CheckedContinuation<IngestOutcome, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var queuedRows = 0
        var commitsInFlight = 0
        var isClosed = false
    }

    private let store: any IngestStore
    private let settings: SextantConfiguration.WriterSettings
    private let disk: DiskSpaceGuard?
    private let logger: Logger
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let queueDepth: Gauge
    private let commitLatency: CoreMetrics.Timer
    private let commitRows: Recorder

    public init(
        store: any IngestStore, settings: SextantConfiguration.WriterSettings, disk: DiskSpaceGuard? = nil, logger: Logger,
        metrics: any MetricsFactory
    ) {
        self.store = store
        self.disk = disk
        self.settings = settings
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        queueDepth = Gauge(label: "sextant_batch_writer_queued_rows", factory: metrics)
        commitLatency = CoreMetrics.Timer(label: "sextant_batch_writer_commit_seconds", factory: metrics)
        commitRows = Recorder(label: "sextant_batch_writer_commit_rows", factory: metrics)
    }

    /// Throws what `submit` would refuse with before queueing, so callers can refuse before
    /// doing work of their own (writing a replay file).
    public func refuseIfNotAdmitting() throws {
        if disk?.isLow == true { throw BatchWriterError.diskLow }
        if state.withLock({ $0.isClosed }) { throw BatchWriterError.closed }
    }

    /// Lets a write outside the writer (a replay file) that failed for want of space stop ingest
    /// like a failed commit does.
    public func noteStorageFailure(_ error: any Error) {
        if error as? StorageError == .diskFull { disk?.noteWriteFailedForSpace() }
    }

    /// Queues `item` and returns once it is committed (or failed).
    public func submit(_ item: IngestItem) async throws -> IngestOutcome {
        let diskIsLow = disk?.isLow == true
        return try await withCheckedThrowingContinuation { continuation in
            let refusal: BatchWriterError? = state.withLock { state in
                if state.isClosed { return .closed }
                if diskIsLow { return .diskLow }
                // An item larger than the whole queue is still taken when the queue is empty.
                if state.queuedRows > 0, state.queuedRows + item.rowCount > settings.maxQueuedRows { return .overloaded }
                state.queue.append(Pending(item: item, continuation: continuation))
                state.queuedRows += item.rowCount
                return nil
            }
            if let refusal {
                continuation.resume(throwing: refusal)
            } else {
                wake.yield()
            }
        }
    }

    /// Requests waiting for a commit (not counting the one being committed).
    public var queuedRequestCount: Int { state.withLock { $0.queue.count } }

    public func run() async throws {
        let capacity = max(1, store.concurrentCommits)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { commits in
                // Each wake (a new item, a finished commit) starts commits while there is room.
                for await _ in wakeups {
                    while let batch = takeBatch(ifFewerInFlightThan: capacity) {
                        commits.addTask {
                            await self.commit(batch)
                            self.state.withLock { $0.commitsInFlight -= 1 }
                            self.wake.yield()
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.isClosed = true }
            self.wake.finish()
        }
        // Whatever was accepted before the close is still committed.
        state.withLock { $0.isClosed = true }
        while let batch = takeBatch(ifFewerInFlightThan: 1) {
            await commit(batch)
            state.withLock { $0.commitsInFlight -= 1 }
        }
    }

    /// The queue's head, up to a commit's worth of rows, counted in flight; nil when the queue is
    /// empty or `capacity` commits are already in flight.
    private func takeBatch(ifFewerInFlightThan capacity: Int) -> [Pending]? {
        let taken: (batch: [Pending], queuedRows: Int)? = state.withLock { state in
            guard state.commitsInFlight < capacity, !state.queue.isEmpty else { return nil }
            var rows = 0
            var taken = 0
            while taken < state.queue.count, taken == 0 || rows + state.queue[taken].item.rowCount <= settings.maxRowsPerCommit {
                rows += state.queue[taken].item.rowCount
                taken += 1
            }
            let batch = Array(state.queue.prefix(taken))
            state.queue.removeFirst(taken)
            state.queuedRows -= rows
            state.commitsInFlight += 1
            return (batch, state.queuedRows)
        }
        guard let taken else { return nil }
        queueDepth.record(taken.queuedRows)
        return taken.batch
    }

    private func commit(_ batch: [Pending]) async {
        let started = ContinuousClock.now
        do {
            let outcomes = try await store.commit(batch.map(\.item))
            commitLatency.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
            commitRows.record(batch.reduce(0) { $0 + $1.item.rowCount })
            for (pending, outcome) in zip(batch, outcomes) {
                pending.continuation.resume(returning: outcome)
            }
        } catch {
            noteStorageFailure(error)
            guard batch.count > 1 else {
                logger.error("ingest commit failed", metadata: ["error": "\(error)"])
                batch[0].continuation.resume(throwing: error)
                return
            }
            // One request's rows must not fail its neighbours': retry each on its own.
            logger.warning("group commit failed, retrying requests one by one", metadata: ["error": "\(error)", "requests": "\(batch.count)"])
            for pending in batch {
                await commit([pending])
            }
        }
    }
}
