/// The events of up to `EventColumns.walkersPerPartition` walkers: a settled part grouped by
/// walker and time-ordered within each walker (compressed-row layout: `offsets[w]..<offsets[w+1]`
/// are walker w's events), and the events appended since, in arrival order. Settling merges the
/// two; ties in time keep arrival order, which is id order, as the SQL walks had it.
struct WalkerPartition: Sendable {
    /// The code of an event taken out by a tombstone until the next settle drops it.
    static let removed = UInt32.max

    private(set) var offsets: ContiguousArray<UInt32> = [0]
    private(set) var codes: ContiguousArray<UInt32> = []
    private(set) var times: ContiguousArray<Int64> = []
    private var pendingWalkers: ContiguousArray<UInt16> = []
    private var pendingCodes: ContiguousArray<UInt32> = []
    private var pendingTimes: ContiguousArray<Int64> = []
    private var removedCount = 0

    var isSettled: Bool { pendingCodes.isEmpty && removedCount == 0 }
    var settledWalkerCount: Int { offsets.count - 1 }
    var eventCount: Int { codes.count + pendingCodes.count - removedCount }

    mutating func append(walker: Int, code: UInt32, ts: Int64) {
        pendingWalkers.append(UInt16(walker))
        pendingCodes.append(code)
        pendingTimes.append(ts)
    }

    /// Takes out one event of `walker` with this code and time; false when there is none.
    mutating func remove(walker: Int, code: UInt32, ts: Int64) -> Bool {
        if walker < settledWalkerCount {
            var index = lowerBound(ts, in: Int(offsets[walker])..<Int(offsets[walker + 1]))
            while index < Int(offsets[walker + 1]), times[index] == ts {
                if codes[index] == code {
                    codes[index] = Self.removed
                    removedCount += 1
                    return true
                }
                index += 1
            }
        }
        for index in pendingCodes.indices where pendingWalkers[index] == UInt16(walker) && pendingCodes[index] == code && pendingTimes[index] == ts {
            pendingCodes[index] = Self.removed
            removedCount += 1
            return true
        }
        return false
    }

    /// The first index of the range whose time is at least `ts`.
    func lowerBound(_ ts: Int64, in range: Range<Int>) -> Int {
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            if times[middle] < ts { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Merges the appended events into the settled part and drops removed ones.
    mutating func settle() {
        guard !isSettled else { return }
        let order = pendingCodes.indices.sorted {
            (pendingWalkers[$0], pendingTimes[$0], $0) < (pendingWalkers[$1], pendingTimes[$1], $1)
        }
        let walkerCount = max(settledWalkerCount, (pendingWalkers.max().map { Int($0) + 1 }) ?? 0)
        let capacity = eventCount
        var newOffsets = ContiguousArray<UInt32>(), newCodes = ContiguousArray<UInt32>(), newTimes = ContiguousArray<Int64>()
        newOffsets.reserveCapacity(walkerCount + 1)
        newCodes.reserveCapacity(capacity)
        newTimes.reserveCapacity(capacity)
        newOffsets.append(0)
        var next = 0  // into `order`
        for walker in 0..<walkerCount {
            var settled = walker < settledWalkerCount ? Int(offsets[walker]) : 0
            let settledEnd = walker < settledWalkerCount ? Int(offsets[walker + 1]) : 0
            while true {
                let hasPending = next < order.count && Int(pendingWalkers[order[next]]) == walker
                let hasSettled = settled < settledEnd
                guard hasPending || hasSettled else { break }
                // The settled event arrived first, so it goes first on a tie.
                if hasSettled && (!hasPending || times[settled] <= pendingTimes[order[next]]) {
                    if codes[settled] != Self.removed {
                        newCodes.append(codes[settled])
                        newTimes.append(times[settled])
                    }
                    settled += 1
                } else {
                    let index = order[next]
                    if pendingCodes[index] != Self.removed {
                        newCodes.append(pendingCodes[index])
                        newTimes.append(pendingTimes[index])
                    }
                    next += 1
                }
            }
            newOffsets.append(UInt32(newCodes.count))
        }
        offsets = newOffsets
        codes = newCodes
        times = newTimes
        pendingWalkers = []
        pendingCodes = []
        pendingTimes = []
        removedCount = 0
    }

    /// A settled partition as the snapshot stores it.
    init(offsets: ContiguousArray<UInt32>, codes: ContiguousArray<UInt32>, times: ContiguousArray<Int64>) {
        self.offsets = offsets
        self.codes = codes
        self.times = times
    }

    init() {}
}
