import Testing
@testable import SextantCore

@Suite struct FunnelTests {
    func walk(_ walker: String, _ steps: [(String, Int64)]) -> [[(name: String, ts: Int64)]] {
        [steps.map { (name: $0.0, ts: $0.1) }]
    }

    @Test func countsGreedyInOrderWalks() {
        let events = walk("u1", [("view", 1), ("cart", 2), ("checkout", 3)])
            + walk("u2", [("cart", 1), ("view", 2)])
            + walk("u3", [("view", 1), ("view", 2), ("cart", 5)])
            + walk("u4", [("checkout", 1)])
        #expect(Funnel.counts(steps: ["view", "cart", "checkout"], walks: events) == [3, 2, 1])
    }

    @Test func windowCountsOnlyWalksThatFinishInTime() {
        // The first view is too early to finish in time, a later start makes it.
        let events = walk("u1", [("view", 0), ("view", 50_000), ("cart", 55_000), ("checkout", 58_000)])
            + walk("u2", [("view", 0), ("cart", 5_000), ("checkout", 20_000)])
        #expect(Funnel.counts(steps: ["view", "cart", "checkout"], walks: events, windowMs: 10_000) == [2, 2, 1])
        #expect(Funnel.counts(steps: ["view", "cart", "checkout"], walks: events) == [2, 2, 2])
    }

    @Test func reportsMedianStepTimesAndPagesWhoDroppedOff() {
        let events = walk("1:ada", [("view", 0), ("cart", 100), ("checkout", 1100)])
            + walk("1:bob", [("view", 0), ("cart", 300)])
            + walk("1:cy", [("view", 10), ("cart", 20)])
            + walk("1:dee", [("view", 5)])
            + walk("2:eve", [("view", 0), ("cart", 50)])
        let walkers = ["1:ada", "1:bob", "1:cy", "1:dee", "2:eve"]
        let vocabulary = WalkVocabulary(["view", "cart", "checkout"])
        var counter = FunnelCounter(steps: vocabulary.ids(["view", "cart", "checkout"]), windowMs: nil,
                                    dropoff: FunnelDropoffQuery(step: 2, offset: 1, limit: 2))
        for (walker, walk) in events.enumerated() { counter.count(walker: walker, events: vocabulary.encode(walk)) }
        let report = counter.report(sortKey: { walkers[$0] }, identity: { String(walkers[$0].dropFirst(2)) })
        #expect(report.counts == [5, 4, 1])
        // Step times 100, 300, 10 and 50: the median is the mean of 50 and 100.
        #expect(report.medianMsToConvert == [nil, 75, 1000])
        // bob, cy and eve reached the cart but not checkout; the page skips one and holds two.
        #expect(report.dropoffTotal == 3 && report.dropoffIdentities == ["cy", "eve"])
        #expect(Funnel.median([]) == nil && Funnel.median([7]) == 7)
    }
}

@Suite struct CalendarAndPathTests {
    @Test(arguments: [(Int64, String)]([
        (0, "1970-01-01"), (1_781_395_200_000, "2026-06-14"), (1_781_395_200_000 - 1, "2026-06-13"),
        (951_782_400_000, "2000-02-29"), (4_102_444_800_000, "2100-01-01"), (-1, "1969-12-31"),
    ]))
    func formatsUTCDays(ms: Int64, day: String) {
        #expect(UTCDay.string(fromMilliseconds: ms) == day)
    }

    @Test(arguments: [
        ("https://shop.example.com/home?x=1", "/home"), ("https://shop.example.com", "/"), ("/cart#top", "/cart"),
        ("http://h:8080/a/b/?q", "/a/b/"), ("", "/"), ("https://h?x=1", "/"),
    ])
    func extractsPaths(url: String, path: String) {
        #expect(URLPath.path(of: url) == path)
    }
}

@Suite struct RoutePathTests {
    @Test(arguments: [
        ("/orders/42", "/orders/:id"), ("/orders/42/items/7?x=1", "/orders/:id/items/:id"),
        ("/users/3fa85f64-5717-4562-b3fc-2c963f66afa6", "/users/:id"), ("/blobs/9f86d081884c7d659a2feaa0c55ad015", "/blobs/:id"),
        ("/cafe/beef", "/cafe/beef"), ("/v1/health", "/v1/health"), ("/", "/"), ("", "/"),
    ])
    func foldsIdentifiers(path: String, route: String) {
        #expect(RoutePath.fold(path) == route)
    }

    @Test func percentilesUseNearestRank() {
        let values = (1...10).map(Double.init)
        #expect(Percentile.of(values, 0.5) == 5 && Percentile.of(values, 0.95) == 10 && Percentile.of(values, 0.99) == 10)
        #expect(Percentile.of([], 0.5) == 0)
    }
}
