/// Trends without a breakdown, and the aggregates: one pass over the columns in the range.
extension EventIndex {
    public func trends(_ query: TrendQuery) async throws -> Trends {
        let ids = try await projectIDs(query.projectSlug)
        try await catchUp()
        let starts = query.interval.bucketStarts(from: query.from, to: query.to)
        let events = Array(Set(query.events))
        let series = WalkVocabulary(events)
        var values = Array(repeating: Array(repeating: 0, count: starts.count), count: events.count)
        let first = starts[0], width = query.interval.milliseconds
        let distinct = query.measure == .users
        var lastBucket = Array(repeating: -1, count: events.count)
        for (_, columns) in settledProjects(ids) {
            let seriesOf = columns.kinds.map { series.existingID(of: $0.name).map(Int.init) ?? -1 }
            columns.forEachWalker(includingAnonymous: !distinct) { _, codes, times in
                if distinct { for index in lastBucket.indices { lastBucket[index] = -1 } }
                var index = Self.lowerBound(query.from, in: times)
                while index < times.count, times[index] <= query.to {
                    let target = seriesOf[Int(codes[index])]
                    if target >= 0 {
                        let bucket = Int((query.interval.bucketStart(times[index]) - first) / width)
                        // A walker's times ascend, so its buckets do: a new bucket is a new distinct walker there.
                        if !distinct || lastBucket[target] != bucket {
                            values[target][bucket] += 1
                            lastBucket[target] = bucket
                        }
                    }
                    index += 1
                }
            }
        }
        var rows: [Trends.Row] = []
        for (target, event) in events.enumerated() {
            for (bucket, value) in values[target].enumerated() where value > 0 {
                rows.append(Trends.Row(event: event, bucketStart: starts[bucket], value: value))
            }
        }
        return Trends.assemble(query, rows: rows)
    }

    /// Daily active identities, the top custom events and pages, and errors per UTC day.
    public func aggregates(filter: TimeFilter, limit: Int) async throws -> Aggregates {
        let ids = try await projectIDs(filter.projectSlug)
        try await catchUp()
        let lower = filter.from ?? .min, upper = filter.to ?? .max
        var active = DayCounts(), errors = DayCounts()
        var eventCounts: [String: Int] = [:], pageCounts: [String: Int] = [:]
        for (_, columns) in settledProjects(ids) {
            var perKind = Array(repeating: 0, count: columns.kinds.count)
            let isError = columns.kinds.map { $0.type == .error }
            columns.forEachWalker(includingAnonymous: true) { walker, codes, times in
                var lastDay = Int64.min
                var index = filter.from == nil ? 0 : Self.lowerBound(lower, in: times)
                while index < times.count, times[index] <= upper {
                    let code = Int(codes[index])
                    perKind[code] += 1
                    let day = times[index] / UTCDay.millisecondsPerDay
                    if isError[code] { errors.add(day) }
                    if walker != 0, day != lastDay {
                        active.add(day)
                        lastDay = day
                    }
                    index += 1
                }
            }
            for (code, count) in perKind.enumerated() where count > 0 {
                let kind = columns.kinds[code]
                switch kind.type {
                case .event: eventCounts[kind.name, default: 0] += count
                case .pageview: pageCounts[kind.path ?? kind.name, default: 0] += count
                case .error, .network, .bugReport: break
                }
            }
        }
        func top(_ counts: [String: Int]) -> [Aggregates.NameCount] {
            counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(max(0, limit)).map { Aggregates.NameCount(name: $0.key, count: $0.value) }
        }
        return Aggregates(dau: active.dayCounts, topEvents: top(eventCounts), topPages: top(pageCounts), errorsByDay: errors.dayCounts)
    }
}

/// Counts per UTC day number: dense over the days seen, with far-off days (stored times from
/// before ranges were enforced may be anything) counted apart so the span cannot grow without bound.
struct DayCounts {
    static let maximumSpan: Int64 = 50_000
    private var origin: Int64 = 0
    private var counts: [Int] = []
    private var farOff: [Int64: Int] = [:]

    mutating func add(_ day: Int64) {
        if counts.isEmpty {
            origin = day
            counts = [0]
        } else if day < origin {
            guard origin - day + Int64(counts.count) <= Self.maximumSpan else { farOff[day, default: 0] += 1; return }
            counts.insert(contentsOf: Array(repeating: 0, count: Int(origin - day)), at: 0)
            origin = day
        } else if day >= origin + Int64(counts.count) {
            guard day - origin < Self.maximumSpan else { farOff[day, default: 0] += 1; return }
            counts.append(contentsOf: Array(repeating: 0, count: Int(day - origin) - counts.count + 1))
        }
        counts[Int(day - origin)] += 1
    }

    /// Days with a count, ascending.
    var dayCounts: [Aggregates.DayCount] {
        var all = farOff
        for (offset, count) in counts.enumerated() where count > 0 { all[origin + Int64(offset), default: 0] += count }
        return all.sorted { $0.key < $1.key }.map { Aggregates.DayCount(day: UTCDay.string(fromDayNumber: $0.key), count: $0.value) }
    }
}
