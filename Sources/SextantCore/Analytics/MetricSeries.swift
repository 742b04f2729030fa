/// One metric over time in fixed buckets, every bucket present. What a bucket's `value` means
/// follows the kind: a gauge's average; a sum's total (delta points add, and cumulative points
/// count with the last value each series reported in the bucket, summed over series); a
/// histogram's average observation (its sum over its count, combined the same way).
public struct MetricSeries: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public var start: Int64
        public var points = 0
        public var value: Double?
        public var min: Double?
        public var max: Double?
        /// Histograms only: observations (a double, so that no sum of client counts can overflow) and their total.
        public var count: Double?
        public var sum: Double?
    }

    public var name: String
    /// Nil when the range holds no point of the metric.
    public var kind: MetricKind?
    public var unit: String?
    public var intervalMs: Int64
    public var buckets: [Bucket]

    /// How many buckets of `intervalMs` cover `from...to` (both inclusive, `from` at most `to`).
    public static func bucketCount(from: Int64, to: Int64, intervalMs: Int64) -> Int64 {
        (to - (from - from % intervalMs)) / intervalMs + 1
    }

    /// `points` must be of metric `name`, in time order; buckets start at multiples of the
    /// interval. The caller bounds the bucket count.
    public static func aggregate(_ points: [MetricPoint], name: String, from: Int64, to: Int64, intervalMs: Int64) -> MetricSeries {
        precondition(intervalMs > 0 && from <= to, "a metric series needs a positive interval over a non-empty range")
        let origin = from - from % intervalMs
        let kind = points.first?.kind
        var accumulators = [Accumulator](repeating: Accumulator(), count: Int(bucketCount(from: from, to: to, intervalMs: intervalMs)))
        for point in points where point.ts >= from && point.ts <= to && point.kind == kind {
            accumulators[Int((point.ts - origin) / intervalMs)].add(point)
        }
        let buckets = accumulators.enumerated().map { index, accumulator in
            accumulator.bucket(start: origin + Int64(index) * intervalMs, kind: kind ?? .gauge)
        }
        return MetricSeries(name: name, kind: kind, unit: points.first?.unit, intervalMs: intervalMs, buckets: buckets)
    }

    /// A width that gives about a hundred buckets over the range, rounded to a familiar step.
    public static func defaultIntervalMs(from: Int64, to: Int64) -> Int64 {
        let steps: [Int64] = [10_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000]
        let span = Swift.max(to - from, 1)
        return steps.first { span / $0 <= 120 } ?? steps.last!
    }

    struct Accumulator {
        var points = 0
        var total = 0.0
        var count = 0.0
        var min: Double?
        var max: Double?
        /// Cumulative points: the last value and count each series reported in the bucket.
        var lastBySeries: [String: (ts: Int64, value: Double, count: Double)] = [:]

        mutating func add(_ point: MetricPoint) {
            points += 1
            let low = point.kind == .histogram ? point.min : point.value
            let high = point.kind == .histogram ? point.max : point.value
            if let low { min = Swift.min(min ?? low, low) }
            if let high { max = Swift.max(max ?? high, high) }
            if point.isCumulative, point.kind != .gauge {
                let key = point.seriesKey
                if let last = lastBySeries[key], last.ts > point.ts { return }
                lastBySeries[key] = (point.ts, point.value, Double(point.count ?? 0))
            } else {
                total += point.value
                count += Double(point.count ?? 0)
            }
        }

        func bucket(start: Int64, kind: MetricKind) -> Bucket {
            var bucket = Bucket(start: start, points: points, min: min, max: max)
            guard points > 0 else { return bucket }
            let sum = total + lastBySeries.values.reduce(0) { $0 + $1.value }
            let observations = count + lastBySeries.values.reduce(0) { $0 + $1.count }
            switch kind {
            case .gauge:
                bucket.value = total / Double(points)
            case .sum:
                bucket.value = sum
            case .histogram:
                bucket.count = observations
                bucket.sum = sum
                bucket.value = observations > 0 ? sum / Double(observations) : nil
            }
            return bucket
        }
    }
}
