import Foundation
import Testing
@testable import SextantCore
import SextantStores

@Suite struct StorageConfigurationTests {
    @Test func theEmbeddedDefaultNeedsNoSetting() throws {
        let configuration = try SextantConfiguration.load(file: nil, environment: [:])
        #expect(configuration.storage.backend == .sqlite && configuration.blobs.backend == .filesystem)
    }

    @Test func aBucketFromTheFile() throws {
        let (directory, path) = try ConfigurationTests.write("""
            blobs:
              backend: s3
              s3: { endpoint: "http://minio.internal:9000/", bucket: replays, region: eu-west-1, access_key_id: AK, secret_access_key: SK }
            """)
        _ = directory
        let blobs = try SextantConfiguration.load(file: path, environment: [:]).blobs
        #expect(blobs.backend == .s3 && blobs.s3.bucket == "replays" && blobs.s3.region == "eu-west-1")
        #expect(blobs.s3.resolvedEndpoint == "http://minio.internal:9000" && blobs.s3.usesPathStyle)
    }

    @Test func theEnvironmentOverridesTheFileAndSecretsComeFromFiles() throws {
        let (directory, path) = try ConfigurationTests.write("blobs: { backend: filesystem, s3: { bucket: from-file } }")
        let secret = directory.path + "/secret"
        try "from-a-secret-file\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let blobs = try SextantConfiguration.load(file: path, environment: [
            "SEXTANT_BLOBS_BACKEND": "S3", "SEXTANT_S3_BUCKET": "from-env", "SEXTANT_S3_REGION": "ap-south-1",
            "SEXTANT_S3_ACCESS_KEY_ID": "AK", "SEXTANT_S3_SECRET_ACCESS_KEY_FILE": secret, "SEXTANT_S3_PATH_STYLE": "false",
        ]).blobs
        #expect(blobs.backend == .s3 && blobs.s3.bucket == "from-env" && blobs.s3.secretAccessKey == "from-a-secret-file")
        // AWS itself, addressed by virtual host.
        #expect(blobs.s3.resolvedEndpoint == "https://s3.ap-south-1.amazonaws.com" && !blobs.s3.usesPathStyle)
    }

    @Test func postgresFromTheEnvironmentWithItsPasswordFromAFile() throws {
        let directory = try TemporaryDirectory()
        let secret = directory.path + "/url"
        try "postgres://sextant:s3cret@db.internal:5432/sextant\n".write(toFile: secret, atomically: true, encoding: .utf8)
        let storage = try SextantConfiguration.load(file: nil, environment: [
            "SEXTANT_STORAGE_BACKEND": "postgres", "SEXTANT_POSTGRES_URL_FILE": secret,
        ]).storage
        #expect(storage.backend == .postgres && storage.postgresURL == "postgres://sextant:s3cret@db.internal:5432/sextant")
    }

    @Test(arguments: [
        ["SEXTANT_BLOBS_BACKEND": "s3"],
        ["SEXTANT_BLOBS_BACKEND": "s3", "SEXTANT_S3_BUCKET": "ok-bucket"],
        ["SEXTANT_BLOBS_BACKEND": "s3", "SEXTANT_S3_BUCKET": "Bad_Bucket", "SEXTANT_S3_ACCESS_KEY_ID": "a", "SEXTANT_S3_SECRET_ACCESS_KEY": "b"],
        ["SEXTANT_BLOBS_BACKEND": "s3", "SEXTANT_S3_BUCKET": "ok-bucket", "SEXTANT_S3_ACCESS_KEY_ID": "a", "SEXTANT_S3_SECRET_ACCESS_KEY": "b",
         "SEXTANT_S3_ENDPOINT": "ftp://host"],
        ["SEXTANT_BLOBS_BACKEND": "tape"],
        ["SEXTANT_S3_PATH_STYLE": "maybe"],
        ["SEXTANT_S3_SECRET_ACCESS_KEY_FILE": "/no/such/file"],
        ["SEXTANT_STORAGE_BACKEND": "postgres"],
        ["SEXTANT_STORAGE_BACKEND": "postgres", "SEXTANT_POSTGRES_URL": "mysql://db.internal/sextant"],
        ["SEXTANT_STORAGE_BACKEND": "postgres", "SEXTANT_POSTGRES_URL": "postgres://db.internal"],
        ["SEXTANT_STORAGE_BACKEND": "oracle"],
    ])
    func refusesStorageThatCannotWork(_ environment: [String: String]) throws {
        #expect(throws: ConfigurationError.self) { try SextantConfiguration.load(file: nil, environment: environment) }
    }

    /// A missing bucket stops the start with one line that names it, before anything is served.
    @Test func anUnreachableBucketFailsTheStart() async throws {
        let directory = try TemporaryDirectory()
        var configuration = SextantConfiguration()
        configuration.dataDirectory = directory.path
        configuration.blobs.backend = .s3
        configuration.blobs.s3 = S3Settings(endpoint: "http://127.0.0.1:1", bucket: "replays", accessKeyID: "AK", secretAccessKey: "SK")
        let error = await #expect(throws: ConfigurationError.self) { _ = try await StoreFactory.open(configuration) }
        #expect(error?.description.hasPrefix("blobs: the bucket replays at http://127.0.0.1:1 is unreachable") == true)
    }

    /// So does a database that does not answer, named without its password.
    @Test func anUnreachableDatabaseFailsTheStart() async throws {
        let directory = try TemporaryDirectory()
        var configuration = SextantConfiguration()
        configuration.dataDirectory = directory.path
        configuration.storage.backend = .postgres
        configuration.storage.postgresURL = "postgres://sextant:s3cret@127.0.0.1:1/sextant"
        let error = await #expect(throws: ConfigurationError.self) {
            try await StoreFactory.withStore(configuration) { _ in }
        }
        let line = error?.description ?? ""
        #expect(line.hasPrefix("storage: PostgreSQL at postgres://sextant@127.0.0.1:1/sextant cannot be used: ") && !line.contains("s3cret"))
    }
}
