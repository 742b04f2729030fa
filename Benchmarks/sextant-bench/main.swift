import Foundation
import Logging
import Metrics
import SextantCore

// In-process ceilings for the HTTP benchmark in Benchmarks/run.sh: the same event batches,
// parsed by the same decoder and committed through the same store and batch writer, no HTTP.
//
//   sextant-bench ceiling --batches N --concurrency C   prints parse and commit rates

struct Options {
    var batches = 2_000
    var concurrency = 64
    var eventsPerBatch = 100

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--batches": batches = Int(iterator.next() ?? "") ?? batches
            case "--concurrency": concurrency = Int(iterator.next() ?? "") ?? concurrency
            case "--events-per-batch": eventsPerBatch = Int(iterator.next() ?? "") ?? eventsPerBatch
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
guard arguments.first == "ceiling" else {
    print("usage: sextant-bench ceiling [--batches N] [--concurrency C] [--events-per-batch E]")
    exit(2)
}
let options = Options(Array(arguments.dropFirst()))
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
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sextant-bench-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: directory) }
let store = try SQLiteDatabase.makeStore(directory: directory)
try await store.tenancy.applyConfiguration([OrganizationConfig(id: "bench", projects: [ProjectConfig(slug: "bench", keys: ["bench-key"])])], now: 0)
let projectID = try await store.tenancy.project(slug: "bench")!.id
let writer = BatchWriter(store: store.ingest, settings: .init(), logger: Logger(label: "bench"), metrics: NOOPMetricsHandler.instance)
let storeElapsed = try await withThrowingTaskGroup(of: Void.self) { group -> Duration in
    group.addTask { try await writer.run() }
    for service in store.services { group.addTask { try await service.run() } }
    let start = ContinuousClock.now
    // `concurrency` clients, each submitting its share of batches one after another, as HTTP connections do.
    try await withThrowingTaskGroup(of: Void.self) { clients in
        for client in 0..<options.concurrency {
            clients.addTask {
                var index = client
                while index < options.batches {
                    _ = try await writer.submit(.events(EventBatch(projectID: projectID, receivedAt: 0, events: parsed[index])))
                    index += options.concurrency
                }
            }
        }
        try await clients.waitForAll()
    }
    let elapsed = ContinuousClock.now - start
    group.cancelAll()
    return elapsed
}

var filter = EventFilter()
filter.limit = 1
let newest = try await store.analytics.events(filter)
precondition(!newest.isEmpty, "no events were committed")

print(String(format: "parse_events_per_s %.0f", rate(totalEvents, parseElapsed)))
print(String(format: "store_events_per_s %.0f", rate(totalEvents, storeElapsed)))
print("store_events \(totalEvents)")
