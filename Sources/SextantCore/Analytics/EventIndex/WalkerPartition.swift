/// The events of up to `EventColumns.walkersPerPartition` walkers: a settled part grouped by
/// walker and time-ordered within each walker (compressed-row layout: `offsets[w]..<offsets[w+1]`
/// are walker w's events), and the events appended since, in arrival order. Settling merges the
/// two; ties in time keep arrival order, which is id order, as the SQL walks had it.
///
/// Settled times take four bytes: milliseconds after a base. Each walker's run starts a base, and
/// a new one starts wherever the next time is more than `UInt32.max` ms (49 days) after it, so any
/// time is exact and a walker seen over years costs a base per seven weeks. Settled kinds take
/// two bytes; a project with more than 65,533 kinds (pageview paths, say) keeps the rest in a side
/// table, so six bytes per event hold everything a query reads.
struct WalkerPartition: Sendable {
    /// The pending code of an event taken out by a tombstone until the next settle drops it.
    static let removed = UInt32.max
    /// The same for a settled event.
    static let removedNarrow: UInt16 = 0xFFFE
    /// A settled code too large for two bytes: the code is in `wideCodes`, at its index in `wideIndexes`.
    static let wide: UInt16 = 0xFFFF

    private(set) var offsets: ContiguousArray<UInt32> = [0]
    private(set) var codes: ContiguousArray<UInt16> = []
    /// Ascending event indexes of wide codes, and the codes.
    private(set) var wideIndexes: ContiguousArray<UInt32> = []
    private(set) var wideCodes: ContiguousArray<UInt32> = []
    private(set) var timeOffsets: ContiguousArray<UInt32> = []
    /// Ascending event indexes where a base starts, and the bases.
    private(set) var baseStarts: ContiguousArray<UInt32> = []
    private(set) var bases: ContiguousArray<Int64> = []
    private var pendingWalkers: ContiguousArray<UInt16> = []
    private var pendingCodes: ContiguousArray<UInt32> = []
    private var pendingTimes: ContiguousArray<Int64> = []
    private var removedCount = 0

    var isSettled: Bool { pendingCodes.isEmpty && removedCount == 0 }
    var settledWalkerCount: Int { offsets.count - 1 }
    var eventCount: Int { codes.count + pendingCodes.count - removedCount }

    /// Appended events are settled once they reach half the settled part (and a few thousand),
    /// so that catching up on millions of events never holds them all unsettled: memory stays
    /// near the settled size, and each event is copied a few times over its life.
    mutating func append(walker: Int, code: UInt32, ts: Int64) {
        pendingWalkers.append(UInt16(walker))
        pendingCodes.append(code)
        pendingTimes.append(ts)
        if pendingCodes.count >= max(4096, codes.count / 2) { settle() }
    }

    /// The settled events of `walker`.
    func run(of walker: Int) -> Range<Int> {
        walker < settledWalkerCount ? Int(offsets[walker])..<Int(offsets[walker + 1]) : 0..<0
    }

    /// Writes the kind codes of the settled events in `run` into `kinds` (resized to fit);
    /// removed events read as `removed`.
    func decodeCodes(_ run: Range<Int>, into kinds: inout [UInt32]) {
        kinds.removeAll(keepingCapacity: true)
        var nextWide: Int?
        for index in run {
            let code = codes[index]
            switch code {
            case Self.removedNarrow: kinds.append(Self.removed)
            case Self.wide:
                if nextWide == nil { nextWide = wideIndexes.partitionIndex(below: { Int($0) < index }) }
                kinds.append(wideCodes[nextWide!])
                nextWide! += 1
            default: kinds.append(UInt32(code))
            }
        }
    }

    /// Writes the times of the settled events in `run` into `times` (resized to fit).
    func decodeTimes(_ run: Range<Int>, into times: inout [Int64]) {
        times.removeAll(keepingCapacity: true)
        guard !run.isEmpty else { return }
        // The run's first event starts a base.
        var base = baseStarts.partitionIndex(below: { Int($0) <= run.lowerBound }) - 1
        for index in run {
            if base + 1 < baseStarts.count, Int(baseStarts[base + 1]) == index { base += 1 }
            times.append(bases[base] &+ Int64(timeOffsets[index]))
        }
    }

    /// Takes out one event of `walker` with this code and time; false when there is none.
    mutating func remove(walker: Int, code: UInt32, ts: Int64) -> Bool {
        let run = run(of: walker)
        var times: [Int64] = [], kinds: [UInt32] = []
        decodeTimes(run, into: &times)
        decodeCodes(run, into: &kinds)
        var low = times.partitionIndex(below: { $0 < ts })
        while low < times.count, times[low] == ts {
            if kinds[low] == code {
                let index = run.lowerBound + low
                if codes[index] == Self.wide {
                    // The side entry is marked instead, so later wide codes keep their entries.
                    wideCodes[wideIndexes.partitionIndex(below: { Int($0) < index })] = Self.removed
                } else {
                    codes[index] = Self.removedNarrow
                }
                removedCount += 1
                return true
            }
            low += 1
        }
        for index in pendingCodes.indices where pendingWalkers[index] == UInt16(walker) && pendingCodes[index] == code && pendingTimes[index] == ts {
            pendingCodes[index] = Self.removed
            removedCount += 1
            return true
        }
        return false
    }

    /// Merges the appended events into the settled part and drops removed ones.
    mutating func settle() {
        guard !isSettled else { return }
        let order = pendingCodes.indices.sorted {
            (pendingWalkers[$0], pendingTimes[$0], $0) < (pendingWalkers[$1], pendingTimes[$1], $1)
        }
        let walkerCount = max(settledWalkerCount, (pendingWalkers.max().map { Int($0) + 1 }) ?? 0)
        var merged = WalkerPartition()
        merged.offsets.reserveCapacity(walkerCount + 1)
        merged.codes.reserveCapacity(eventCount)
        merged.timeOffsets.reserveCapacity(eventCount)
        var next = 0  // into `order`
        var settledTimes: [Int64] = [], settledCodes: [UInt32] = []
        for walker in 0..<walkerCount {
            let run = run(of: walker)
            decodeTimes(run, into: &settledTimes)
            decodeCodes(run, into: &settledCodes)
            var settled = 0
            var base: Int64?
            func emit(_ code: UInt32, _ ts: Int64) {
                guard code != Self.removed else { return }
                if let current = base, case let (difference, overflow) = ts.subtractingReportingOverflow(current),
                   !overflow, difference <= Int64(UInt32.max) {
                    merged.timeOffsets.append(UInt32(difference))
                } else {
                    merged.baseStarts.append(UInt32(merged.codes.count))
                    merged.bases.append(ts)
                    merged.timeOffsets.append(0)
                    base = ts
                }
                if code >= UInt32(Self.removedNarrow) {
                    merged.wideIndexes.append(UInt32(merged.codes.count))
                    merged.wideCodes.append(code)
                    merged.codes.append(Self.wide)
                } else {
                    merged.codes.append(UInt16(code))
                }
            }
            while true {
                let hasPending = next < order.count && Int(pendingWalkers[order[next]]) == walker
                let hasSettled = settled < settledTimes.count
                guard hasPending || hasSettled else { break }
                // The settled event arrived first, so it goes first on a tie.
                if hasSettled && (!hasPending || settledTimes[settled] <= pendingTimes[order[next]]) {
                    emit(settledCodes[settled], settledTimes[settled])
                    settled += 1
                } else {
                    emit(pendingCodes[order[next]], pendingTimes[order[next]])
                    next += 1
                }
            }
            merged.offsets.append(UInt32(merged.codes.count))
        }
        self = merged
    }

    /// Whether columns read from a snapshot fit together: every index in range, runs ascending,
    /// and a base at the start of every walker's run, so decoding can never read out of bounds.
    var isConsistent: Bool {
        guard offsets.first == 0, Int(offsets.last ?? 1) == codes.count, codes.count == timeOffsets.count,
              baseStarts.count == bases.count, wideIndexes.count == wideCodes.count,
              wideIndexes.count == codes.lazy.filter({ $0 == Self.wide }).count, !codes.contains(Self.removedNarrow),
              wideIndexes.allSatisfy({ Int($0) < codes.count && codes[Int($0)] == Self.wide }),
              zip(wideIndexes, wideIndexes.dropFirst()).allSatisfy({ $0 < $1 }), zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
              zip(baseStarts, baseStarts.dropFirst()).allSatisfy({ $0 < $1 }), baseStarts.allSatisfy({ Int($0) < codes.count }) else { return false }
        let starts = Set(baseStarts)
        return (0..<settledWalkerCount).allSatisfy { walker in offsets[walker] == offsets[walker + 1] || starts.contains(offsets[walker]) }
    }

    /// A settled partition as the snapshot stores it.
    init(offsets: ContiguousArray<UInt32>, codes: ContiguousArray<UInt16>, wideIndexes: ContiguousArray<UInt32>, wideCodes: ContiguousArray<UInt32>,
         timeOffsets: ContiguousArray<UInt32>, baseStarts: ContiguousArray<UInt32>, bases: ContiguousArray<Int64>) {
        self.offsets = offsets
        self.codes = codes
        self.wideIndexes = wideIndexes
        self.wideCodes = wideCodes
        self.timeOffsets = timeOffsets
        self.baseStarts = baseStarts
        self.bases = bases
    }

    init() {}
}
