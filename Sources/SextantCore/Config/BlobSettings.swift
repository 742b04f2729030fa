import Foundation

/// Where blobs (replay chunks, Sentry attachments) are kept: files under the data directory, or
/// an S3-compatible bucket that several nodes share.
public struct BlobSettings: Sendable, Equatable, Decodable {
    public enum Backend: String, Sendable, Equatable, Decodable, CaseIterable {
        case filesystem
        case s3
    }

    public var backend: Backend = .filesystem
    public var s3 = S3Settings()

    public init() {}

    enum CodingKeys: String, CodingKey { case backend, s3 }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        backend = try c.decode(.backend, or: .filesystem)
        s3 = try c.decode(.s3, or: S3Settings())
    }

    func validate() throws {
        guard backend == .s3 else { return }
        try s3.validate()
    }
}

/// An S3-compatible bucket: AWS S3, MinIO, Cloudflare R2, SeaweedFS, Ceph RGW.
public struct S3Settings: Sendable, Equatable, Decodable {
    /// `https://s3.REGION.amazonaws.com` when nil.
    public var endpoint: String?
    public var bucket = ""
    public var region = "us-east-1"
    public var accessKeyID = ""
    public var secretAccessKey = ""
    /// `ENDPOINT/BUCKET/KEY` instead of `BUCKET.ENDPOINT/KEY`. When not set: path-style for a
    /// configured endpoint (MinIO, SeaweedFS and Ceph expect it), virtual-host for AWS.
    public var pathStyle: Bool?

    public init() {}

    public init(endpoint: String?, bucket: String, region: String = "us-east-1", accessKeyID: String, secretAccessKey: String, pathStyle: Bool? = nil) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.pathStyle = pathStyle
    }

    enum CodingKeys: String, CodingKey {
        case endpoint, bucket, region
        case accessKeyID = "access_key_id"
        case secretAccessKey = "secret_access_key"
        case pathStyle = "path_style"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint)
        bucket = try c.decode(.bucket, or: "")
        region = try c.decode(.region, or: "us-east-1")
        accessKeyID = try c.decode(.accessKeyID, or: "")
        secretAccessKey = try c.decode(.secretAccessKey, or: "")
        pathStyle = try c.decodeIfPresent(Bool.self, forKey: .pathStyle)
    }

    /// The endpoint's origin, without a trailing slash.
    public var resolvedEndpoint: String {
        let configured = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        return configured ?? "https://s3.\(region).amazonaws.com"
    }

    public var usesPathStyle: Bool { pathStyle ?? (endpoint != nil) }

    func validate() throws {
        if let endpoint {
            guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  url.path.isEmpty || url.path == "/", url.query == nil else {
                throw ConfigurationError("blobs.s3.endpoint must be an http(s) origin such as https://minio.internal:9000, got \(endpoint)")
            }
        }
        // The rules S3 gives bucket names; a dot would break TLS on virtual-host addressing.
        let allowed = bucket.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
        guard (3...63).contains(bucket.count), allowed, bucket.first != "-", bucket.last != "-" else {
            throw ConfigurationError("blobs.s3.bucket must be 3-63 characters of a-z, 0-9, - and ., got \"\(bucket)\"")
        }
        guard !region.isEmpty, region.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }) else {
            throw ConfigurationError("blobs.s3.region must be a region name such as us-east-1, got \"\(region)\"")
        }
        guard !accessKeyID.isEmpty, !secretAccessKey.isEmpty else {
            throw ConfigurationError("blobs.s3 needs access_key_id and secret_access_key (or SEXTANT_S3_ACCESS_KEY_ID and SEXTANT_S3_SECRET_ACCESS_KEY)")
        }
    }
}
