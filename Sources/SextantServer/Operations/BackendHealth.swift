import SextantCore

/// Whether the database and the blob store answer, for `/healthz`: a load balancer must stop
/// sending to a node that cannot store what it accepts. A reading is reused for a few seconds, so
/// frequent probes do not become a request to the bucket each.
actor BackendHealth {
    let database: any DatabaseHealth
    let blobs: any BlobStore
    let clock: WallClock
    let reuseMilliseconds: Int64
    var last: (at: Int64, problem: String?)?

    init(database: any DatabaseHealth, blobs: any BlobStore, clock: WallClock, reuseMilliseconds: Int64 = 5_000) {
        self.database = database
        self.blobs = blobs
        self.clock = clock
        self.reuseMilliseconds = reuseMilliseconds
    }

    /// Nil when every backend answered; otherwise what is wrong, in one line.
    func problem() async -> String? {
        let now = clock.nowMilliseconds()
        if let last, now - last.at < reuseMilliseconds { return last.problem }
        let problem = await firstProblem()
        last = (clock.nowMilliseconds(), problem)
        return problem
    }

    /// The database first: without it nothing is stored, whatever the bucket says.
    private func firstProblem() async -> String? {
        do {
            try await database.checkReachable()
        } catch {
            return "database: \(error)"
        }
        do {
            try await blobs.checkReachable()
        } catch {
            return "blobs: \(error)"
        }
        return nil
    }
}
