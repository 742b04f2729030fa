import SextantCore

/// Whether the shared backends answer, for `/healthz`: a load balancer must stop sending to a
/// node that cannot store what it accepts. A reading is reused for a few seconds, so frequent
/// probes do not become a request to the bucket each.
actor BackendHealth {
    let blobs: any BlobStore
    let clock: WallClock
    let reuseMilliseconds: Int64
    var last: (at: Int64, problem: String?)?

    init(blobs: any BlobStore, clock: WallClock, reuseMilliseconds: Int64 = 5_000) {
        self.blobs = blobs
        self.clock = clock
        self.reuseMilliseconds = reuseMilliseconds
    }

    /// Nil when every backend answered; otherwise what is wrong, in one line.
    func problem() async -> String? {
        let now = clock.nowMilliseconds()
        if let last, now - last.at < reuseMilliseconds { return last.problem }
        var problem: String?
        do {
            try await blobs.checkReachable()
        } catch {
            problem = "blobs: \(error)"
        }
        last = (clock.nowMilliseconds(), problem)
        return problem
    }
}
