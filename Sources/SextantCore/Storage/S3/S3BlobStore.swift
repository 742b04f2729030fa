/// Blobs as objects in an S3-compatible bucket, under the same keys as on the filesystem, so
/// every node that shares the bucket reads what any of them wrote.
public struct S3BlobStore: BlobStore {
    let client: S3Client

    public init(client: S3Client) {
        self.client = client
    }

    public func put(_ bytes: [UInt8], key: String) async throws {
        try BlobKey.validate(key)
        try await client.putObject(key: key, bytes: bytes)
    }

    public func get(key: String) async throws -> [UInt8]? {
        try BlobKey.validate(key)
        return try await client.getObject(key: key)
    }

    public func delete(key: String) async throws {
        try BlobKey.validate(key)
        try await client.deleteObject(key: key)
    }

    public func checkReachable() async throws {
        do {
            try await client.checkBucket()
        } catch let failure as S3Client.Failure {
            throw BlobStoreError.unreachable(Self.explain(failure, bucket: client.settings.bucket, endpoint: client.settings.resolvedEndpoint))
        }
    }

    static func explain(_ failure: S3Client.Failure, bucket: String, endpoint: String) -> String {
        switch failure.status {
        case 404: "the bucket \(bucket) does not exist at \(endpoint)"
        case 403: "the bucket \(bucket) at \(endpoint) refused these credentials (403\(failure.code.map { " \($0)" } ?? ""))"
        case let status?: "the bucket \(bucket) at \(endpoint) answered \(status)"
        case nil: "the bucket \(bucket) at \(endpoint) is unreachable: \(failure.underlying ?? "no answer")"
        }
    }
}
