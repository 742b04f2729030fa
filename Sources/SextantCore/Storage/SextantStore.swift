/// The storage backends the server is built from.
public struct SextantStore: Sendable {
    public var tenancy: any TenancyStore
    public var ingest: any IngestStore
    public var analytics: any AnalyticsStore
    public var blobs: any BlobStore

    public init(tenancy: any TenancyStore, ingest: any IngestStore, analytics: any AnalyticsStore, blobs: any BlobStore) {
        self.tenancy = tenancy
        self.ingest = ingest
        self.analytics = analytics
        self.blobs = blobs
    }
}
