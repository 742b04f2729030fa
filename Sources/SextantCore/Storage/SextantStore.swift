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
    /// Background work the backend needs while the server runs (e.g. WAL checkpoints).
    public var services: [any Service]

    public init(tenancy: any TenancyStore, ingest: any IngestStore, analytics: any AnalyticsStore, logs: any LogStore,
        monitors: any MonitorStore, telemetry: any TelemetryStore, retention: any RetentionStore, blobs: any BlobStore,
        services: [any Service] = []
    ) {
        self.retention = retention
        self.monitors = monitors
        self.telemetry = telemetry
        self.services = services
        self.tenancy = tenancy
        self.ingest = ingest
        self.analytics = analytics
        self.logs = logs
        self.blobs = blobs
    }
}
