import Testing
@testable import SextantCore

/// The storage contract for OTLP metric points: kept per project, read by name in time order.
@Suite struct MetricPointContractTests {
    let base = Fixture.baseTs

    func point(_ name: String, _ kind: MetricKind, at offset: Int64, _ value: Double, series: String? = nil) -> MetricPoint {
        var point = MetricPoint(name: name, kind: kind, ts: base + offset, value: value, isCumulative: kind == .sum)
        point.attributesJSON = series
        point.service = "checkout"
        if kind == .histogram {
            point.count = 3
            point.min = 1
            point.max = 9
        }
        return point
    }

    @Test(arguments: StoreBackend.available)
    func pointsAreReadByNameInTimeOrderAndNamesAreListed(backend: StoreBackend) async throws {
        try await backend.withStore { store, inventory, billing in
            _ = try await store.ingest.commit([
                .metrics(MetricBatch(projectID: inventory, receivedAt: base, points: [
                    point("orders", .sum, at: 2000, 5, series: #"{"region":"eu"}"#), point("orders", .sum, at: 1000, 2),
                    point("latency", .histogram, at: 1500, 30), point("queue", .gauge, at: 10_000, 7),
                ])),
                .metrics(MetricBatch(projectID: billing, receivedAt: base, points: [point("orders", .sum, at: 1200, 99)])),
            ])
            var filter = MetricFilter()
            filter.time = TimeFilter(projectSlug: "inventory", from: base, to: base + 5000)
            filter.name = "orders"
            let orders = try await store.telemetry.metricPoints(filter)
            #expect(orders.map(\.value) == [2, 5] && orders.last?.attributesJSON == #"{"region":"eu"}"# && orders.allSatisfy(\.isCumulative))
            filter.name = "latency"
            let latency = try #require(try await store.telemetry.metricPoints(filter).first)
            #expect(latency.count == 3 && latency.min == 1 && latency.max == 9 && latency.service == "checkout")
            filter.name = nil
            let names = try await store.telemetry.metricNames(filter)
            #expect(names.map(\.name) == ["orders", "latency"] && names.first?.points == 2 && names.first?.kind == .sum)
            filter.time.projectSlug = nil
            filter.name = "orders"
            #expect(try await store.telemetry.metricPoints(filter).count == 3)
        }
    }
}
