import ServiceLifecycle

/// The storage backends the server is built from.
public struct SextantStore: Sendable {
    public var tenancy: any TenancyStore
    public var ingest: any IngestStore
    public var analytics: any AnalyticsStore
    public var logs: any LogStore
    public var monitors: any MonitorStore
    public var telemetry: any TelemetryStore
    public var retention: any RetentionStore
    public var blobs: any BlobStore
    public var issues: any IssueStore
    public var signals: any SignalStore
    public var insights: any InsightStore
    public var oauth: any OAuthStore
    public var alerts: any AlertStore
    public var webhooks: any WebhookStore
    public var replayAnalysis: any ReplayAnalysisStore
    public var leases: any LeaseStore
    public var database: any DatabaseHealth
    /// The Data API's per-token request windows.
    public var requestWindows: any RequestWindows
    /// Background work the backend needs while the server runs (e.g. WAL checkpoints).
    public var services: [any Service]

    public init(tenancy: any TenancyStore, ingest: any IngestStore, analytics: any AnalyticsStore, logs: any LogStore,
        monitors: any MonitorStore, telemetry: any TelemetryStore, retention: any RetentionStore, blobs: any BlobStore,
        issues: any IssueStore, signals: any SignalStore, insights: any InsightStore, oauth: any OAuthStore, alerts: any AlertStore,
        webhooks: any WebhookStore, replayAnalysis: any ReplayAnalysisStore, leases: any LeaseStore,
        database: any DatabaseHealth, requestWindows: any RequestWindows = InMemoryRequestWindows(), services: [any Service] = []
    ) {
        self.tenancy = tenancy
        self.ingest = ingest
        self.analytics = analytics
        self.logs = logs
        self.monitors = monitors
        self.telemetry = telemetry
        self.retention = retention
        self.blobs = blobs
        self.issues = issues
        self.signals = signals
        self.insights = insights
        self.oauth = oauth
        self.alerts = alerts
        self.webhooks = webhooks
        self.replayAnalysis = replayAnalysis
        self.leases = leases
        self.database = database
        self.requestWindows = requestWindows
        self.services = services
    }
}
