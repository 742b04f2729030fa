import AsyncAlgorithms
import Foundation
import Logging
import ServiceLifecycle

/// Writes each project's hourly and daily digests once their interval has closed, and opens
/// `slow_endpoint` issues for endpoints whose p95 doubled against the previous seven days.
public struct InsightService: Service {
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    let insights: any InsightStore
    let issues: any IssueStore
    let tenancy: any TenancyStore
    let clock: WallClock
    let interval: Duration
    let logger: Logger
    /// Set in a server: the pass runs only on the node that holds this work's lease.
    let leases: LeaseKeeper?

    public init(store: SextantStore, clock: WallClock, interval: Duration = .seconds(60), logger: Logger, leases: LeaseKeeper? = nil) {
        insights = store.insights
        issues = store.issues
        tenancy = store.tenancy
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.leases = leases
    }

    /// Digests every project's last closed hour and day that has none yet; returns how many were written.
    /// `considered` remembers quiet intervals, so each is analyzed once rather than once a pass.
    @discardableResult
    public func digestClosedIntervals(considered: inout Set<String>) async throws -> Int {
        let now = clock.nowMilliseconds()
        var written = 0
        for project in try await tenancy.projects() {
            let hourEnd = now / Self.hour * Self.hour
            let dayEnd = now / Self.day * Self.day
            for (kind, from, to) in [(Insight.Kind.hourlyDigest, hourEnd - Self.hour, hourEnd), (.dailyDigest, dayEnd - Self.day, dayEnd)] {
                let key = "\(project.id)/\(kind.rawValue)/\(from)"
                guard !considered.contains(key) else { continue }
                if try await digest(project, kind: kind, from: from, to: to, now: now) { written += 1 }
                considered.insert(key)
            }
        }
        return written
    }

    private func digest(_ project: Project, kind: Insight.Kind, from: Int64, to: Int64, now: Int64) async throws -> Bool {
        guard try await !insights.hasInsight(projectID: project.id, kind: kind, intervalStart: from) else { return false }
        let inputs = try await insights.digestInputs(projectID: project.id, from: from, to: to)
        if kind == .hourlyDigest {
            let slow = DigestAnalyzer.slowEndpoints(inputs.endpoints).map { EndpointIssues.slow($0, at: now) }
            if !slow.isEmpty { try await issues.record(slow, projectID: project.id, now: now) }
        }
        guard let insight = DigestAnalyzer.digest(
            inputs, kind: kind, id: UUID().uuidString.lowercased(), organizationID: project.organizationID, projectSlug: project.slug,
            from: from, to: to, now: now)
        else { return false }
        return try await insights.save(insight, projectID: project.id)
    }

    public func run() async throws {
        var considered = Set<String>()
        await periodically(every: interval, lease: leases.map { ($0, .insightDigests) }, logger: logger, failure: "insight digest failed") {
            try await digestClosedIntervals(considered: &considered)
        }
    }
}
