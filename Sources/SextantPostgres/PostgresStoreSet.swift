import Foundation
import SextantCore

extension PostgresBackend {
    /// Every store of one node on this database, with `blobs` beside it. The event index and its
    /// snapshot stay on the node (`dataDirectory`): each node's index reads what all nodes commit.
    public func makeStore(blobs: any BlobStore, dataDirectory: String) -> SextantStore {
        let index = EventIndex(source: PostgresEventIndexSource(database: self))
        return SextantStore(
            tenancy: PostgresTenancyStore(database: self),
            ingest: PostgresIngestStore(database: self, indexInbox: index.inbox),
            analytics: PostgresAnalyticsStore(database: self, index: index),
            logs: PostgresLogStore(database: self),
            monitors: PostgresMonitorStore(database: self),
            telemetry: PostgresTelemetryStore(database: self),
            retention: PostgresRetentionStore(database: self),
            blobs: blobs,
            issues: PostgresIssueStore(database: self),
            signals: PostgresSignalStore(database: self),
            insights: PostgresInsightStore(database: self),
            oauth: PostgresOAuthStore(database: self),
            alerts: PostgresAlertOutbox(database: self),
            webhooks: PostgresWebhookStore(database: self),
            replayAnalysis: PostgresReplayAnalysisStore(database: self),
            leases: PostgresLeaseStore(database: self),
            database: PostgresDatabaseHealth(database: self),
            requestWindows: PostgresRequestWindows(database: self),
            services: [EventIndexService(index: index, path: (dataDirectory as NSString).appendingPathComponent("event-index.snapshot"))]
        )
    }
}
