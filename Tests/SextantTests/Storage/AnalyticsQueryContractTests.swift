import Testing
@testable import SextantCore

/// Trends, retention and paths against brute-force references on random data: out-of-order and
/// late commits, anonymous identities, events at UTC day edges (issue 11).
@Suite struct AnalyticsQueryContractTests {
    static let day = Fixture.day
    static let start = Fixture.baseTs  // a Sunday, 2026-06-14T00:00:00Z
    static let names = ["view", "add_to_cart", "purchase", "search", "signup"]

    /// Deterministic events over ten days, many within a second of midnight.
    static func randomEvents(seed: UInt64) -> [IngestEvent] {
        var generator = SeededGenerator(seed: seed)
        return (0..<1500).map { index in
            let dayOffset = Int64.random(in: 0..<10, using: &generator) * day
            let edge = Bool.random(using: &generator)
            let within = edge ? (Bool.random(using: &generator) ? Int64.random(in: 0..<1000, using: &generator) : day - 1 - Int64.random(in: 0..<1000, using: &generator))
                : Int64.random(in: 0..<day, using: &generator)
            let user = Int.random(in: 0..<60, using: &generator)
            let anonymous = user >= 50
            return IngestEvent(
                ts: start + dayOffset + within, type: index % 7 == 0 ? .pageview : .event, name: names.randomElement(using: &generator)!,
                userID: anonymous ? nil : "u\(user)", sessionID: anonymous ? "s\(user)" : (Bool.random(using: &generator) ? "s\(user)" : nil),
                url: "https://shop.example.com/p/\(index % 3)", propsJSON: #"{"plan":"p\#(Int.random(in: 0..<14, using: &generator))"}"#)
        }
    }

    /// Stores the events out of order and in several commits, as late SDK retries arrive; returns them in stored order.
    @discardableResult
    func ingest(_ events: [IngestEvent], into store: SextantStore, projectID: Int64) async throws -> [IngestEvent] {
        var shuffled = events
        var generator = SeededGenerator(seed: 99)
        shuffled.shuffle(using: &generator)
        for batch in stride(from: 0, to: shuffled.count, by: 400) {
            _ = try await store.ingest.commit([.events(EventBatch(projectID: projectID, receivedAt: 0,
                                                                  events: Array(shuffled[batch..<min(batch + 400, shuffled.count)])))])
        }
        return shuffled
    }

    static func plan(_ event: IngestEvent) -> String { String(event.propsJSON!.dropFirst(9).dropLast(2)) }

    @Test(arguments: StoreBackend.available)
    func trendsEqualTheirDefinitions(backend: StoreBackend) async throws {
        let events = Self.randomEvents(seed: 7)
        try await backend.withStore { store, inventory, _ in
            try await ingest(events, into: store, projectID: inventory)
            let from = Self.start + 3 * Self.day + 500, to = Self.start + 8 * Self.day - 500
            let inRange = events.filter { $0.ts >= from && $0.ts <= to }
            for interval in TrendInterval.allCases {
                for measure in TrendMeasure.allCases {
                    let query = TrendQuery(projectSlug: "inventory", events: ["view", "purchase", "never"], from: from, to: to,
                                           interval: interval, measure: measure, breakdown: nil)
                    let trends = try await store.analytics.trends(query)
                    #expect(trends.bucketStarts == interval.bucketStarts(from: from, to: to))
                    #expect(trends.series.map(\.event) == ["view", "purchase", "never"])
                    for series in trends.series {
                        let expected = trends.bucketStarts.map { bucket in
                            let matching = inRange.filter { $0.name == series.event && interval.bucketStart($0.ts) == bucket }
                            return measure == .count ? matching.count : Set(matching.compactMap(\.identity)).count
                        }
                        #expect(series.values == expected, "\(interval) \(measure) \(series.event)")
                        #expect((series.event == "never") == (series.total == 0))
                    }
                }
            }
            // Breakdown by a property with fourteen values: the top ten by count, then "other".
            let query = TrendQuery(projectSlug: "inventory", events: ["view"], from: from, to: to, interval: .day, measure: .users,
                                   breakdown: .property("plan"))
            let trends = try await store.analytics.trends(query)
            let views = inRange.filter { $0.name == "view" }
            let byPlan = Dictionary(grouping: views, by: Self.plan)
            let ranked = byPlan.map { ($0.key, Set($0.value.compactMap(\.identity)).count) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            let top = ranked.prefix(10).map(\.0)
            #expect(trends.series.map(\.breakdownValue) == top + ["other"])
            let other = try #require(trends.series.last)
            #expect(other.isOther && other.values == trends.bucketStarts.map { bucket in
                Set(views.filter { !top.contains(Self.plan($0)) && TrendInterval.day.bucketStart($0.ts) == bucket }.compactMap(\.identity)).count
            })
            #expect(Set(try await store.analytics.trends(TrendQuery(projectSlug: "inventory", events: ["view"], from: from, to: to,
                                                                     interval: .week, measure: .count, breakdown: .type)).series.map(\.breakdownValue))
                    == ["event", "pageview"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func retentionEqualsItsDefinition(backend: StoreBackend) async throws {
        let events = Self.randomEvents(seed: 11)
        try await backend.withStore { store, inventory, _ in
            try await ingest(events, into: store, projectID: inventory)
            for (startEvent, returnEvent, period) in [("signup", "purchase", TrendInterval.day), ("view", "view", .day), ("search", "add_to_cart", .week)] {
                let query = RetentionQuery(projectSlug: "inventory", startEvent: startEvent, returnEvent: returnEvent, period: period, periods: 5,
                                           from: Self.start + Self.day, to: Self.start + 5 * Self.day)
                let cohorts = try await store.analytics.retention(query)
                var expected = period.bucketStarts(from: query.from, to: query.to).map { RetentionCohort(start: $0, size: 0, returning: Array(repeating: 0, count: 5)) }
                for (_, own) in Dictionary(grouping: events.filter { $0.identity != nil }, by: { $0.identity! }) {
                    guard let first = own.filter({ $0.name == startEvent && $0.ts >= query.from && $0.ts <= query.to }).min(by: { $0.ts < $1.ts }) else { continue }
                    let cohort = expected.firstIndex { $0.start == period.bucketStart(first.ts) }!
                    expected[cohort].size += 1
                    expected[cohort].returning[0] += 1
                    for offset in 1..<5 where own.contains(where: {
                        $0.name == returnEvent && period.bucketStart($0.ts) == expected[cohort].start + Int64(offset) * period.milliseconds
                    }) {
                        expected[cohort].returning[offset] += 1
                    }
                }
                #expect(cohorts == expected, "\(startEvent) → \(returnEvent) by \(period)")
                let anyReturns = cohorts.reduce(0) { $0 + $1.returning.dropFirst().reduce(0, +) } > 0
                #expect(anyReturns, "the data exercises returns")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func pathsEqualTheirDefinition(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, _ in
            // Events at the same time keep the order they were stored in.
            let events = try await ingest(Self.randomEvents(seed: 5), into: store, projectID: inventory)
            let answer = try await store.analytics.paths(PathQuery(projectSlug: "inventory", start: "search", steps: 2, from: nil, to: nil, limit: 500))
            var expected: [[String]: Int] = [:]
            var starts = 0
            for (_, own) in Dictionary(grouping: events.filter { $0.identity != nil }, by: { $0.identity! }) {
                let ordered = own.sorted { $0.ts < $1.ts }  // stable: stored order among equal times
                guard let first = ordered.firstIndex(where: { $0.name == "search" }) else { continue }
                starts += 1
                expected[Array(ordered[(first + 1)...].prefix(2).map(\.name)), default: 0] += 1
            }
            #expect(answer.starts == starts && starts > 20 && answer.paths.count > 5)
            #expect(Dictionary(uniqueKeysWithValues: answer.paths.map { ($0.steps, $0.count) }) == expected)
            #expect(answer.paths.map(\.count) == answer.paths.map(\.count).sorted(by: >))
        }
    }
}

/// The aggregates from the event index against their definition.
@Suite struct AggregatesContractTests {
    static func reference(_ events: [IngestEvent], from: Int64?, to: Int64?, limit: Int) -> Aggregates {
        let inRange = events.filter { event in event.ts >= (from ?? .min) && event.ts <= (to ?? .max) }
        func byDay(_ selected: [IngestEvent], distinct: Bool) -> [Aggregates.DayCount] {
            Dictionary(grouping: selected) { $0.ts / Fixture.day }.sorted { $0.key < $1.key }.map { day, own in
                Aggregates.DayCount(day: UTCDay.string(fromDayNumber: day), count: distinct ? Set(own.compactMap(\.identity)).count : own.count)
            }
        }
        func top(_ keys: [String]) -> [Aggregates.NameCount] {
            Dictionary(grouping: keys) { $0 }.map { Aggregates.NameCount(name: $0.key, count: $0.value.count) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }.prefix(limit).map { $0 }
        }
        // Errors of every source count by whole days: all of each day the range touches.
        let (fromDay, toDay) = (from.map { $0 / Fixture.day }, to.map { $0 / Fixture.day })
        let errorDays = Dictionary(grouping: events.filter { $0.type == .error }.map { $0.ts / Fixture.day }) { $0 }
            .filter { $0.key >= (fromDay ?? .min) && $0.key <= (toDay ?? .max) }.mapValues(\.count)
        var allErrors: [Aggregates.DayCount] = []
        if let first = fromDay ?? errorDays.keys.min(), let last = toDay ?? errorDays.keys.max() {
            allErrors = (first...last).map { Aggregates.DayCount(day: UTCDay.string(fromDayNumber: $0), count: errorDays[$0] ?? 0) }
        }
        return Aggregates(
            dau: byDay(inRange.filter { $0.identity != nil }, distinct: true),
            topEvents: top(inRange.filter { $0.type == .event }.map(\.name)),
            topPages: top(inRange.filter { $0.type == .pageview }.map { URLPath.path(of: $0.url ?? $0.name) }),
            errorsByDay: byDay(inRange.filter { $0.type == .error }, distinct: false), allErrorsByDay: allErrors)
    }

    @Test(arguments: StoreBackend.available)
    func aggregatesEqualTheirDefinitionOverAnyRange(backend: StoreBackend) async throws {
        let start = AnalyticsQueryContractTests.start, day = Fixture.day
        var events = AnalyticsQueryContractTests.randomEvents(seed: 3)
        events += (0..<40).map { IngestEvent(ts: start + Int64($0) * 7_200_000, type: .error, name: "E", userID: "u\($0 % 4)") }
        try await backend.withStore { store, inventory, _ in
            _ = try await AnalyticsQueryContractTests().ingest(events, into: store, projectID: inventory)
            let ranges: [(Int64?, Int64?)] = [
                (nil, nil), (start + 2 * day, start + 5 * day - 1), (start + 2 * day + 77, start + 5 * day + 5),
                (start + 3 * day + 10, start + 3 * day + 50_000_000), (nil, start + 4 * day + 1), (start + day - 1, nil), (start + 6 * day, start + 7 * day - 1),
            ]
            for (from, to) in ranges {
                let answer = try await store.analytics.aggregates(filter: TimeFilter(projectSlug: "inventory", from: from, to: to), limit: 4)
                #expect(answer == Self.reference(events, from: from, to: to, limit: 4), "from \(String(describing: from)) to \(String(describing: to))")
            }
            #expect(try await store.analytics.aggregates(filter: TimeFilter(projectSlug: "billing"), limit: 4)
                    == Aggregates(dau: [], topEvents: [], topPages: [], errorsByDay: []))
        }
    }

    @Test(arguments: StoreBackend.available)
    func purgedEventsLeaveTheCounters(backend: StoreBackend) async throws {
        let events = AnalyticsQueryContractTests.randomEvents(seed: 21)
        let (old, kept) = (Array(events.prefix(700)), Array(events.dropFirst(700)))
        try await backend.withStore { store, inventory, _ in
            _ = try await store.ingest.commit([.events(EventBatch(projectID: inventory, receivedAt: 1, events: old)),
                                               .events(EventBatch(projectID: inventory, receivedAt: 100, events: kept))])
            // Queried between the purge's batches, so that the index takes its tombstones out of what it had read.
            _ = try await store.analytics.aggregates(filter: TimeFilter(projectSlug: "inventory"), limit: 5)
            while try await store.retention.purge(.events, projectID: inventory, receivedBefore: 50, limit: 97).deletedRows > 0 {
                _ = try await store.analytics.funnel(steps: ["view", "purchase"], filter: TimeFilter(), windowMs: nil)
            }
            let answer = try await store.analytics.aggregates(filter: TimeFilter(projectSlug: "inventory"), limit: 5)
            #expect(answer == Self.reference(kept, from: nil, to: nil, limit: 5))
        }
    }

    @Test(arguments: StoreBackend.available)
    func errorsOfEverySourceCountByDayWithQuietDaysAsZero(backend: StoreBackend) async throws {
        let start = AnalyticsQueryContractTests.start, day = Fixture.day
        try await backend.withStore { store, inventory, billing in
            var logged = LogRecord(ts: start + 3 * day + 5, level: .error, message: "disk full", source: "luminalog")
            logged.service = "api"
            let info = LogRecord(ts: start + 3 * day + 6, level: .info, message: "fine", source: "luminalog")
            _ = try await store.ingest.commit([
                .events(EventBatch(projectID: inventory, receivedAt: 1, events: [
                    IngestEvent(ts: start + day, type: .error, name: "TypeError", userID: "u", propsJSON: #"{"message":"boom"}"#),
                    IngestEvent(ts: start + day + 9, type: .error, name: "TypeError", userID: "u", propsJSON: #"{"message":"boom"}"#),
                    IngestEvent(ts: start + 2 * day, type: .event, name: "view", userID: "u"),
                ])),
                .logs(LogBatch(projectID: inventory, receivedAt: 1, records: [logged, info])),
                .events(EventBatch(projectID: billing, receivedAt: 1, events: [IngestEvent(ts: start + 9 * day, type: .error, name: "E")])),
            ])
            let all = try await store.analytics.aggregates(filter: TimeFilter(projectSlug: "inventory"), limit: 5)
            #expect(all.errorsByDay.map(\.count) == [2])  // error events only, as API.md defines them
            #expect(all.allErrorsByDay == [
                Aggregates.DayCount(day: UTCDay.string(fromMilliseconds: start + day), count: 2),
                Aggregates.DayCount(day: UTCDay.string(fromMilliseconds: start + 2 * day), count: 0),
                Aggregates.DayCount(day: UTCDay.string(fromMilliseconds: start + 3 * day), count: 1),
            ])
            let ranged = try await store.analytics.aggregates(filter: TimeFilter(projectSlug: "inventory", from: start, to: start + 5 * day - 1), limit: 5)
            #expect(ranged.allErrorsByDay.map(\.count) == [0, 2, 0, 1, 0])
            let everyProject = try await store.analytics.aggregates(filter: TimeFilter(), limit: 5)
            #expect(everyProject.allErrorsByDay.count == 9 && everyProject.allErrorsByDay.last?.count == 1)
        }
    }

    @Test func aStoreOpenedAgainRebuildsTheIndexFromTheEvents() async throws {
        let directory = try TemporaryDirectory()
        let store = try await StoreBackend.makeSQLiteStore(directory: directory.path)
        try await store.tenancy.applyConfiguration([OrganizationConfig(id: "acme", projects: [ProjectConfig(slug: "inventory", keys: ["k"])])], now: 1)
        let inventory = try #require(try await store.tenancy.project(slug: "inventory")).id
        let events = AnalyticsQueryContractTests.randomEvents(seed: 8)
        _ = try await AnalyticsQueryContractTests().ingest(events, into: store, projectID: inventory)
        let before = try await store.analytics.aggregates(filter: TimeFilter(), limit: 10)
        let reopened = try await StoreBackend.makeSQLiteStore(directory: directory.path)
        #expect(try await reopened.analytics.aggregates(filter: TimeFilter(), limit: 10) == before)
        #expect(before == Self.reference(events, from: nil, to: nil, limit: 10))
    }
}

/// SplitMix64: the same values on every run and platform.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
