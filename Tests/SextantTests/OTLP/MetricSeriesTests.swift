@testable import SextantCore
import Testing

/// Bucketing metric points (issue 13): every bucket present, and each kind's value as defined.
@Suite struct MetricSeriesTests {
    func point(_ kind: MetricKind, _ ts: Int64, _ value: Double, cumulative: Bool = false, series: String? = nil, count: Int64? = nil) -> MetricPoint {
        var point = MetricPoint(name: "m", kind: kind, ts: ts, value: value, isCumulative: cumulative)
        point.attributesJSON = series
        point.count = count
        return point
    }

    @Test func gaugesAverageAndEmptyBucketsArePresent() {
        let series = MetricSeries.aggregate([point(.gauge, 0, 2), point(.gauge, 10, 4), point(.gauge, 25, 9)],
                                            name: "m", from: 0, to: 39, intervalMs: 10)
        #expect(series.buckets.map(\.start) == [0, 10, 20, 30])
        #expect(series.buckets.map(\.value) == [2, 4, 9, nil] && series.buckets.map(\.points) == [1, 1, 1, 0])
        #expect(series.kind == .gauge)
    }

    @Test func deltaSumsAddAndCumulativeSumsTakeEachSeriesLastValue() {
        let delta = MetricSeries.aggregate([point(.sum, 1, 2), point(.sum, 2, 3)], name: "m", from: 0, to: 9, intervalMs: 10)
        #expect(delta.buckets.map(\.value) == [5])
        let cumulative = MetricSeries.aggregate([
            point(.sum, 1, 10, cumulative: true, series: "eu"), point(.sum, 3, 12, cumulative: true, series: "eu"),
            point(.sum, 2, 5, cumulative: true, series: "us"), point(.sum, 14, 20, cumulative: true, series: "eu"),
        ], name: "m", from: 0, to: 19, intervalMs: 10)
        #expect(cumulative.buckets.map(\.value) == [17, 20] && cumulative.buckets[0].max == 12 && cumulative.buckets[0].min == 5)
    }

    @Test func histogramsAverageTheirObservations() {
        var first = point(.histogram, 1, 30, count: 2)
        first.min = 10
        first.max = 20
        var second = point(.histogram, 2, 60, count: 1)
        second.min = 60
        second.max = 60
        let series = MetricSeries.aggregate([first, second], name: "m", from: 0, to: 9, intervalMs: 10)
        let bucket = series.buckets[0]
        #expect(bucket.count == 3 && bucket.sum == 90 && bucket.value == 30 && bucket.min == 10 && bucket.max == 60)
    }

    @Test func noPointsIsAnEmptySeriesOfTheRange() {
        let series = MetricSeries.aggregate([], name: "m", from: 5, to: 25, intervalMs: 10)
        #expect(series.kind == nil && series.buckets.map(\.start) == [0, 10, 20] && series.buckets.allSatisfy { $0.value == nil })
        #expect(MetricSeries.bucketCount(from: 5, to: 25, intervalMs: 10) == 3)
        #expect(MetricSeries.defaultIntervalMs(from: 0, to: 86_400_000) == 900_000)
    }
}
