import Foundation
import Testing
@testable import SextantCore

/// Every blob backend the contract suite runs against. S3 runs when `scripts/test` started its
/// S3 server (moto, with signature checks) and named it in `SEXTANT_TEST_S3_*`.
enum BlobBackend: String, CaseIterable, CustomTestStringConvertible {
    case filesystem
    case s3

    var testDescription: String { rawValue }

    static var available: [BlobBackend] { TestS3.settings == nil ? [.filesystem] : allCases }

    func makeStore(directory: String) throws -> any BlobStore {
        switch self {
        case .filesystem: try FileBlobStore(root: directory)
        case .s3: S3BlobStore(client: try S3Client(settings: TestS3.settings!))
        }
    }
}

enum TestS3 {
    /// The test server's bucket and credentials, from the environment `scripts/test` sets.
    static var settings: S3Settings? {
        let environment = ProcessInfo.processInfo.environment
        guard let endpoint = environment["SEXTANT_TEST_S3_ENDPOINT"], let bucket = environment["SEXTANT_TEST_S3_BUCKET"],
              let key = environment["SEXTANT_TEST_S3_ACCESS_KEY_ID"], let secret = environment["SEXTANT_TEST_S3_SECRET_ACCESS_KEY"]
        else { return nil }
        return S3Settings(endpoint: endpoint, bucket: bucket, accessKeyID: key, secretAccessKey: secret, pathStyle: true)
    }

    /// Keys under a prefix of their own, so tests sharing the bucket never see each other's.
    static func uniquePrefix() -> String { "test-\(UUID().uuidString.lowercased())" }
}

@Suite struct BlobStoreContractTests {
    @Test(arguments: BlobBackend.available)
    func storedBytesReadBackAndDeleteIsIdempotent(_ backend: BlobBackend) async throws {
        let directory = try TemporaryDirectory()
        let blobs = try backend.makeStore(directory: directory.path)
        let prefix = TestS3.uniquePrefix()
        let small = Array("chunk".utf8)
        var large = [UInt8](repeating: 0, count: 5 << 20)
        for index in large.indices { large[index] = UInt8(truncatingIfNeeded: index &* 31) }
        try await blobs.put(small, key: "\(prefix)/replays/1/s 1/0.json.gz")
        try await blobs.put(large, key: "\(prefix)/attachments/big.bin")
        try await blobs.put(small, key: "\(prefix)/replays/1/s 1/0.json.gz")
        let readSmall = try await blobs.get(key: "\(prefix)/replays/1/s 1/0.json.gz")
        let readLarge = try await blobs.get(key: "\(prefix)/attachments/big.bin")
        #expect(readSmall == small)
        #expect(readLarge == large)
        let missing = try await blobs.get(key: "\(prefix)/never-written")
        #expect(missing == nil)
        try await blobs.delete(key: "\(prefix)/attachments/big.bin")
        try await blobs.delete(key: "\(prefix)/attachments/big.bin")
        let deleted = try await blobs.get(key: "\(prefix)/attachments/big.bin")
        #expect(deleted == nil)
        try await blobs.checkReachable()
    }

    @Test(arguments: BlobBackend.available)
    func keysThatEscapeTheirPlaceAreRefused(_ backend: BlobBackend) async throws {
        let directory = try TemporaryDirectory()
        let blobs = try backend.makeStore(directory: directory.path)
        for key in ["", "../outside", "a//b", "a/./b", "/rooted", String(repeating: "k", count: 1025)] {
            await #expect(throws: BlobStoreError.self) { try await blobs.put([1], key: key) }
            await #expect(throws: BlobStoreError.self) { _ = try await blobs.get(key: key) }
        }
    }
}

/// What only the S3 backend does: listing, and refusing what the server refuses.
@Suite(.enabled(if: TestS3.settings != nil, "needs the S3 test server scripts/test starts"))
struct S3ClientTests {
    @Test func listsEveryKeyUnderAPrefixAcrossPages() async throws {
        let client = try S3Client(settings: TestS3.settings!)
        let prefix = TestS3.uniquePrefix()
        let keys = (0..<7).map { "\(prefix)/k\($0)" }.sorted()
        for key in keys { try await client.putObject(key: key, bytes: [1, 2, 3]) }
        try await client.putObject(key: "\(TestS3.uniquePrefix())/k", bytes: [1])
        // Without a `/`: moto's signature check gets a query's encoded `/` wrong (botocore's own
        // requests fail it too), while S3 itself takes it; the signer's test covers that case.
        let listed = try await client.listObjects(prefix: prefix, pageSize: 3)
        #expect(listed.sorted() == keys)
    }

    /// The server checks signatures: a wrong secret is refused, not retried, and stores nothing.
    @Test func aWrongSecretIsRefusedAtOnce() async throws {
        var settings = TestS3.settings!
        settings.secretAccessKey += "x"
        let wrong = try S3Client(settings: settings)
        let key = "\(TestS3.uniquePrefix())/refused"
        let failure = await #expect(throws: S3Client.Failure.self) { try await wrong.putObject(key: key, bytes: [1]) }
        #expect(failure?.status == 403)
        let stored = try await S3Client(settings: TestS3.settings!).getObject(key: key)
        #expect(stored == nil)
    }

    @Test func aMissingBucketIsNamedInTheCheck() async throws {
        var settings = TestS3.settings!
        settings.bucket = "sextant-no-such-bucket"
        let blobs = S3BlobStore(client: try S3Client(settings: settings))
        let error = await #expect(throws: BlobStoreError.self) { try await blobs.checkReachable() }
        #expect(error?.description.contains("sextant-no-such-bucket does not exist") == true)
    }
}
