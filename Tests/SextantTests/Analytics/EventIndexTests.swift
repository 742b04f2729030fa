import Foundation
import Testing
@testable import SextantCore

/// A store's events and tombstones in memory, read back in small pages.
actor MemoryEventSource: EventIndexSource {
    private(set) var events: [IndexedEvent] = []
    private var tombstones: [IndexTombstone] = []
    private var nextID: Int64 = 1
    private var nextSeq: Int64 = 1

    @discardableResult
    func add(_ projectID: Int64, identity: String?, _ name: String, ts: Int64, type: EventType = .event, url: String? = nil) -> IndexedEvent {
        events.append(IndexedEvent(id: nextID, projectID: projectID, identity: identity, type: type, name: name, url: url, ts: ts))
        nextID += 1
        return events.last!
    }

    /// Deletes the events `isPurged` picks, leaving a tombstone for each.
    func purge(_ isPurged: (IndexedEvent) -> Bool) {
        for event in events where isPurged(event) {
            tombstones.append(IndexTombstone(seq: nextSeq, event: event))
            nextSeq += 1
        }
        events.removeAll(where: isPurged)
    }

    func changes(after: EventIndexWatermark, limit: Int) async throws -> EventIndexChanges {
        let page = Array(events.filter { $0.id > after.event }.prefix(limit))
        let newTombstones = tombstones.filter { $0.seq > after.tombstone }
        return EventIndexChanges(events: page, tombstones: newTombstones,
                                 watermark: EventIndexWatermark(event: page.last?.id ?? after.event, tombstone: newTombstones.last?.seq ?? after.tombstone),
                                 isComplete: page.count < limit)
    }

    func projectIDs(slug: String?) async throws -> [Int64] { slug.map { [$0 == "one" ? 1 : $0 == "two" ? 2 : 99] } ?? [1, 2] }

    func lastEventID() async throws -> Int64 { nextID - 1 }

    func trimTombstones(through seq: Int64) async throws { tombstones.removeAll { $0.seq <= seq } }
}

@Suite struct EventIndexTests {
    static let steps = ["view", "cart", "buy"]

    /// The funnel by its definition: each walker's step events in time (then arrival) order, the
    /// deepest walk from any start within the window, the earliest such walk for step times.
    static func referenceFunnel(_ events: [IndexedEvent], windowMs: Int64?, dropoffStep: Int) -> (counts: [Int], medians: [Double?], dropoff: [String]) {
        var counts = Array(repeating: 0, count: steps.count)
        var durations = Array(repeating: [Int64](), count: steps.count)
        var dropoff: [String] = []
        let walkers = Dictionary(grouping: events.filter { $0.identity != nil && steps.contains($0.name) }) { "\($0.projectID):\($0.identity!)" }
        for (walker, own) in walkers {
            let ordered = own.sorted { ($0.ts, $0.id) < ($1.ts, $1.id) }
            var best: [Int64] = []
            for start in ordered.indices where ordered[start].name == steps[0] {
                var reached: [Int64] = []
                for event in ordered[start...] {
                    if let windowMs, event.ts > ordered[start].ts + windowMs { break }
                    if reached.count < steps.count, event.name == steps[reached.count] { reached.append(event.ts) }
                }
                if reached.count > best.count { best = reached }
                if windowMs == nil { break }  // without a window the first start is the greedy walk
            }
            for step in best.indices {
                counts[step] += 1
                if step > 0 { durations[step].append(best[step] - best[step - 1]) }
            }
            if best.count == dropoffStep { dropoff.append(walker) }
        }
        return (counts, durations.enumerated().map { $0.offset == 0 ? nil : Funnel.median($0.element) },
                dropoff.sorted().map { String($0.drop { $0 != ":" }.dropFirst()) })
    }

    /// Over 4,096 walkers (two partitions), in two projects, with anonymous events, ties in time
    /// and events arriving out of order and between queries.
    static func fill(_ source: MemoryEventSource, seed: UInt64, count: Int) async {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<count {
            let walker = Int.random(in: 0..<5000, using: &generator)
            let name = (steps + ["search"]).randomElement(using: &generator)!
            let ts = Int64.random(in: 0..<200, using: &generator) * 1000
            await source.add(walker % 7 == 0 ? 2 : 1, identity: walker % 11 == 0 ? nil : "w\(walker)", name, ts: ts)
        }
    }

    @Test func funnelsEqualTheirDefinitionAsEventsArriveBetweenQueries() async throws {
        let source = MemoryEventSource()
        let index = EventIndex(source: source)
        for round in 0..<3 {
            await Self.fill(source, seed: UInt64(round), count: 6000)
            for windowMs: Int64? in [nil, 30_000] {
                let report = try await index.funnel(steps: Self.steps, filter: TimeFilter(), windowMs: windowMs,
                                                    dropoff: FunnelDropoffQuery(step: 1, offset: 3, limit: 20))
                let expected = Self.referenceFunnel(await source.events, windowMs: windowMs, dropoffStep: 1)
                #expect(report.counts == expected.counts, "round \(round) window \(String(describing: windowMs))")
                #expect(report.medianMsToConvert == expected.medians)
                #expect(report.dropoffTotal == expected.dropoff.count)
                #expect(report.dropoffIdentities == Array(expected.dropoff.dropFirst(3).prefix(20)))
            }
        }
        let oneOnly = try await index.funnel(steps: Self.steps, filter: TimeFilter(projectSlug: "one", from: 50_000, to: 150_000),
                                             windowMs: nil, dropoff: nil)
        let inRange = await source.events.filter { $0.projectID == 1 && $0.ts >= 50_000 && $0.ts <= 150_000 }
        #expect(oneOnly.counts == Self.referenceFunnel(inRange, windowMs: nil, dropoffStep: 0).counts)
    }

    @Test func tombstonesTakeOutEventsAlreadyReadAndIgnoreTheOthers() async throws {
        let source = MemoryEventSource()
        let index = EventIndex(source: source)
        await Self.fill(source, seed: 5, count: 5000)
        _ = try await index.aggregates(filter: TimeFilter(), limit: 10)  // read and settled
        await Self.fill(source, seed: 6, count: 3000)
        try await index.catchUp()  // read, not yet settled
        await Self.fill(source, seed: 7, count: 2000)  // not yet read
        // Purges events of every kind: settled, appended since, and never read.
        await source.purge { $0.id % 3 == 0 || $0.ts < 20_000 }
        let report = try await index.funnel(steps: Self.steps, filter: TimeFilter(), windowMs: nil, dropoff: nil)
        #expect(report.counts == Self.referenceFunnel(await source.events, windowMs: nil, dropoffStep: 0).counts)
        let aggregates = try await index.aggregates(filter: TimeFilter(), limit: 10)
        let remaining = await source.events
        #expect(aggregates.topEvents.reduce(0) { $0 + $1.count } == remaining.count)
        // One day; an identity belongs to one project.
        #expect(aggregates.dau.map(\.count) == [Set(remaining.compactMap(\.identity)).count])
    }

    @Test func aSnapshotRestoresTheIndexAndCoversItsTombstones() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/index.snapshot"
        let source = MemoryEventSource()
        await Self.fill(source, seed: 9, count: 7000)
        await source.add(1, identity: nil, "/home", ts: 5, type: .pageview, url: "https://a.example/home?x")
        let index = EventIndex(source: source)
        #expect(try await index.save(to: path) == nil)  // nothing read yet, nothing to save
        try await index.catchUp()
        await source.purge { $0.id % 5 == 0 }
        let before = try await index.aggregates(filter: TimeFilter(), limit: 10)
        #expect(try await index.save(to: path) == (await source.events.count))
        #expect(try await source.changes(after: EventIndexWatermark(), limit: 1).tombstones.isEmpty)  // trimmed once saved

        await Self.fill(source, seed: 10, count: 500)  // committed after the snapshot
        let restored = EventIndex(source: source)
        #expect(try await restored.restore(from: path))
        #expect(try await restored.restore(from: path) == false)  // only into an empty index
        let expected = Self.referenceFunnel(await source.events, windowMs: nil, dropoffStep: 0).counts
        #expect(try await restored.funnel(steps: Self.steps, filter: TimeFilter(), windowMs: nil, dropoff: nil).counts == expected)
        #expect(before.topPages == [Aggregates.NameCount(name: "/home", count: 1)])

        // A snapshot of another database, or a damaged one, is refused; the index then reads the events.
        let other = MemoryEventSource()
        await other.add(1, identity: "x", "view", ts: 1)
        await #expect(throws: SnapshotError.self) { try await EventIndex(source: other).restore(from: path) }
        let bytes = try #require(FileManager.default.contents(atPath: path))
        FileManager.default.createFile(atPath: path, contents: bytes.prefix(bytes.count / 2))
        let damaged = EventIndex(source: source)
        await #expect(throws: SnapshotError.self) { try await damaged.restore(from: path) }
        #expect(try await damaged.funnel(steps: Self.steps, filter: TimeFilter(), windowMs: nil, dropoff: nil).counts == expected)
    }

    @Test func deliveredCommitsAreTakenOnlyWhereTheyContinueTheIndex() async throws {
        let source = MemoryEventSource()
        let index = EventIndex(source: source)
        func commit(_ count: Int, seed: UInt64) async -> IndexedCommit {
            let previous = try! await source.lastEventID()
            var generator = SeededGenerator(seed: seed)
            var events: [IndexedEvent] = []
            for _ in 0..<count {
                events.append(await source.add(1, identity: "w\(Int.random(in: 0..<50, using: &generator))", Self.steps.randomElement(using: &generator)!,
                                               ts: Int64.random(in: 0..<1000, using: &generator)))
            }
            return IndexedCommit(previousEventID: previous, events: events)
        }
        let first = await commit(100, seed: 1), second = await commit(100, seed: 2), third = await commit(100, seed: 3)
        let fourth = await commit(100, seed: 4)
        // Delivered out of order, the first one lost: the index reads the store from the start instead.
        index.inbox.deliver(third)
        index.inbox.deliver(second)
        #expect(try await index.funnel(steps: Self.steps, filter: TimeFilter(), windowMs: nil, dropoff: nil).counts
                == Self.referenceFunnel(await source.events, windowMs: nil, dropoffStep: 0).counts)
        // Delivered late, after the store was read: nothing is counted twice.
        index.inbox.deliver(first)
        index.inbox.deliver(fourth)
        let fifth = await commit(100, seed: 5)
        index.inbox.deliver(fifth)
        #expect(try await index.aggregates(filter: TimeFilter(), limit: 5).topEvents.reduce(0) { $0 + $1.count } == 500)
    }

    @Test func timesFarApartKeepTheirExactValue() async throws {
        let source = MemoryEventSource()
        let index = EventIndex(source: source)
        let day: Int64 = 86_400_000
        // Seven weeks and more between one walker's events, and times from before ranges were enforced.
        let times: [Int64] = [-5, 0, 1, 50 * day, 50 * day + 7, 400 * day, Int64.max / 2, Int64.min / 2]
        for (offset, ts) in times.enumerated() { await source.add(1, identity: "far", Self.steps[offset % 3], ts: ts) }
        for _ in 0..<5000 { await source.add(1, identity: "near", "view", ts: 3) }  // settles the partition more than once
        await source.purge { $0.ts == 50 * day + 7 }
        let report = try await index.funnel(steps: ["view", "cart", "buy", "view"], filter: TimeFilter(), windowMs: nil, dropoff: nil)
        #expect(report.counts == [2, 1, 1, 1])
        // far walks view at -5, cart at 0, buy at 1, view at 50 days.
        #expect(report.medianMsToConvert == [nil, 5, 1, Double(50 * day - 1)])
        let trend = try await index.trends(TrendQuery(projectSlug: nil, events: ["cart"], from: 0, to: 401 * day, interval: .day, measure: .count,
                                                      breakdown: nil))
        #expect(trend.series[0].total == 1)  // 1 (cart); the cart at 50 days + 7 was purged
        let whole = try await index.aggregates(filter: TimeFilter(from: 50 * day, to: 400 * day + 1), limit: 5)
        #expect(whole.topEvents.reduce(0) { $0 + $1.count } == 2)
    }

    @Test func kindsPastTwoBytesAreKeptExactly() async throws {
        let source = MemoryEventSource()
        let index = EventIndex(source: source)
        // 70,000 distinct pages: the last 4,467 kinds do not fit two bytes.
        for page in 0..<70_000 {
            await source.add(1, identity: "w\(page % 3)", "pageview", ts: Int64(page), type: .pageview, url: "https://a.example/p/\(page)")
        }
        await source.add(1, identity: "w0", "view", ts: 80_000)
        try await index.catchUp()
        await source.purge { $0.url == "https://a.example/p/69998" || $0.url == "https://a.example/p/10" }
        let pages = try await index.aggregates(filter: TimeFilter(from: 69_990), limit: 20).topPages
        #expect(pages.count == 9 && !pages.contains { $0.name == "/p/69998" } && pages.allSatisfy { $0.count == 1 })
        #expect(try await index.paths(PathQuery(projectSlug: nil, start: "pageview", steps: 1, from: 69_999, to: nil, limit: 5)).paths
                == [PathCount(steps: ["view"], count: 1)])
        let directory = try TemporaryDirectory()
        try await index.save(to: directory.path + "/s")
        let restored = EventIndex(source: source)
        #expect(try await restored.restore(from: directory.path + "/s"))
        #expect(try await restored.aggregates(filter: TimeFilter(), limit: 70_000).topPages.count == 69_998)
    }
}
