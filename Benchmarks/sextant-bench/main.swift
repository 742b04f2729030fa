import Foundation
import NIOCore
import Logging
import Metrics
import SextantCore
import SextantStores

// In-process ceilings for the HTTP benchmark in Benchmarks/run.sh: the same bodies, through the
// same decoders, batch writer and store, no HTTP.
//
//   sextant-bench ceiling --batches N --concurrency C             event parse and commit rates
//   sextant-bench logs-ceiling --bodies logs.lua --batches N      LuminaLog batches committed with their search index
//   sextant-bench replay-ceiling --chunk chunk.json.gz --batches N  replay chunks stored (file + index row)

struct Options {
    var batches = 2_000
    var concurrency = 64
    var eventsPerBatch = 100
    var bodies = ""
    var chunk = ""

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--batches": batches = Int(iterator.next() ?? "") ?? batches
            case "--concurrency": concurrency = Int(iterator.next() ?? "") ?? concurrency
            case "--events-per-batch": eventsPerBatch = Int(iterator.next() ?? "") ?? eventsPerBatch
            case "--bodies": bodies = iterator.next() ?? ""
            case "--chunk": chunk = iterator.next() ?? ""
            default: break
            }
        }
    }
}

/// The body the HTTP benchmark sends: `eventsPerBatch` events of mixed types with small props.
func batchBody(variant: Int, events: Int, key: String) -> [UInt8] {
    var writer = JSONWriter(reservingCapacity: events * 200)
    writer.beginObject()
    writer.key("app"); writer.string("bench")
    writer.key("key"); writer.string(key)
    writer.key("events"); writer.beginArray()
    let base: Int64 = 1_781_395_200_000 + Int64(variant) * 60_000
    for index in 0..<events {
        writer.beginObject()
        writer.key("ts"); writer.integer(base + Int64(index) * 10)
        writer.key("type"); writer.string(index % 10 == 0 ? "pageview" : "event")
        writer.key("name"); writer.string(index % 10 == 0 ? "/products/\(index)" : "click_\(index % 7)")
        writer.key("user_id"); writer.string("user-\(variant % 500)")
        writer.key("session_id"); writer.string("session-\(variant)")
        writer.key("url"); writer.string("https://shop.example.com/products/\(index)")
        writer.key("props"); writer.raw(#"{"button":"add-to-cart","price":1999,"tags":["a","b"]}"#)
        writer.endObject()
    }
    writer.endArray()
    writer.endObject()
    return writer.bytes
}

func rate(_ count: Int, _ elapsed: Duration) -> Double {
    Double(count) / (Double(elapsed.nanoseconds) / 1e9)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first, ["ceiling", "logs-ceiling", "replay-ceiling"].contains(mode) else {
    print("usage: sextant-bench ceiling|logs-ceiling|replay-ceiling [--batches N] [--concurrency C] [--events-per-batch E] [--chunk FILE]")
    exit(2)
}
let options = Options(Array(arguments.dropFirst()))

enum Harness {
/// Runs the store's services and the batch writer around `body`, returning how long `body` took.
static func withRunningWriter(_ store: SextantStore, _ body: @escaping @Sendable (BatchWriter) async throws -> Void) async throws -> Duration {
    let writer = BatchWriter(store: store.ingest, settings: .init(), logger: Logger(label: "bench"), metrics: NOOPMetricsHandler.instance)
    return try await withThrowingTaskGroup(of: Void.self) { group -> Duration in
        group.addTask { try await writer.run() }
        for service in store.services { group.addTask { try await service.run() } }
        let start = ContinuousClock.now
        try await body(writer)
        let elapsed = ContinuousClock.now - start
        group.cancelAll()
        return elapsed
    }
}

/// `concurrency` clients, each submitting its share of `count` items one after another, as HTTP connections do.
static func concurrently(_ count: Int, _ concurrency: Int, _ submit: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { clients in
        for client in 0..<concurrency {
            clients.addTask {
                var index = client
                while index < count {
                    try await submit(index)
                    index += concurrency
                }
            }
        }
        try await clients.waitForAll()
    }
}
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sextant-bench-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: directory) }
// The store the environment names (SEXTANT_STORAGE_BACKEND, SEXTANT_POSTGRES_URL), SQLite by default.
var configuration = try SextantConfiguration.load(file: nil, environment: ProcessInfo.processInfo.environment)
configuration.dataDirectory = directory
try await StoreFactory.withStore(configuration) { store in
    try await store.tenancy.applyConfiguration([OrganizationConfig(id: "bench", projects: [ProjectConfig(slug: "bench", keys: ["bench-key"])])], now: 0)
    let projectID = try await store.tenancy.project(slug: "bench")!.id

    switch mode {
    case "ceiling":
        let bodies = (0..<50).map { batchBody(variant: $0, events: options.eventsPerBatch, key: "bench-key") }
        let totalEvents = options.batches * options.eventsPerBatch
        // 1. Parsing alone.
        let parseStart = ContinuousClock.now
        var parsed: [[IngestEvent]] = []
        parsed.reserveCapacity(options.batches)
        for index in 0..<options.batches {
            parsed.append(try EventBatchDecoder.decode(bodies[index % bodies.count], now: 0).events)
        }
        let parseElapsed = ContinuousClock.now - parseStart
        // 2. Storage: the same batches through the batch writer into a fresh SQLite store.
        let batches = parsed
        let storeElapsed = try await Harness.withRunningWriter(store) { writer in
            try await Harness.concurrently(options.batches, options.concurrency) { index in
                _ = try await writer.submit(.events(EventBatch(projectID: projectID, receivedAt: 0, events: batches[index])))
            }
        }
        print(String(format: "parse_events_per_s %.0f", rate(totalEvents, parseElapsed)))
        print(String(format: "store_events_per_s %.0f", rate(totalEvents, storeElapsed)))

    case "logs-ceiling":
        // The same LuminaLog batches the HTTP run sends: decoded, then committed with their search index.
        let text = try String(contentsOfFile: options.bodies, encoding: .utf8)
        let bodies = text.components(separatedBy: "[==[").dropFirst().map { Array($0.components(separatedBy: "]==]")[0].utf8) }
        let batches = try bodies.map { try LuminaLogBatch.decode($0).records }
        let perBatch = batches[0].count
        let storeElapsed = try await Harness.withRunningWriter(store) { writer in
            try await Harness.concurrently(options.batches, options.concurrency) { index in
                _ = try await writer.submit(.logs(LogBatch(projectID: projectID, receivedAt: 0, records: batches[index % batches.count])))
            }
        }
        print(String(format: "store_logs_per_s %.0f", rate(options.batches * perBatch, storeElapsed)))

    default:
        // Replay chunks as /v1/replay stores them: inflate, check, scrub, write the file, commit the index row.
        let chunk = [UInt8](try Data(contentsOf: URL(fileURLWithPath: options.chunk)))
        let blobs = store.blobs
        let storeElapsed = try await Harness.withRunningWriter(store) { writer in
            try await Harness.concurrently(options.batches, options.concurrency) { index in
                let json = try GzipBody.inflate(ByteBuffer(bytes: chunk), limit: 50 << 20)
                let summary = try ReplayChunkInspector.inspect(json.readableBytesView)
                let stored = try Scrubber.scrubReplayJSON(json.readableBytesView).map(GzipBody.compress) ?? chunk
                let key = "replays/bench/\(index).json.gz"
                try await blobs.put(stored, key: key)
                _ = try await writer.submit(.replayChunk(ReplayChunkRecord(
                    projectID: projectID, sessionID: "bench-\(index)", seq: 1, ts: summary.firstTimestamp ?? 0, endTs: summary.lastTimestamp ?? 0,
                    eventCount: summary.eventCount, byteSize: stored.count, sha256: Secrets.sha256Hex(bytes: stored), blobKey: key,
                    fullSnapshotOffsets: summary.fullSnapshotOffsets, receivedAt: 0)))
            }
        }
        print(String(format: "store_replay_mb_per_s %.2f", Double(options.batches * chunk.count) / 1_048_576 / (Double(storeElapsed.nanoseconds) / 1e9)))
        print(String(format: "store_chunks_per_s %.0f", rate(options.batches, storeElapsed)))
    }
}
