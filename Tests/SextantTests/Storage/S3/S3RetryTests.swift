import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import SextantCore

/// A bucket that fails on purpose: the client retries 5xx and a lost connection, and gives up on
/// a refusal at once.
@Suite struct S3RetryTests {
    actor FlakyBucket {
        var failuresLeft: Int
        let failure: HTTPResponse.Status
        var attempts = 0
        var objects: [String: [UInt8]] = [:]

        init(failures: Int, with failure: HTTPResponse.Status) {
            failuresLeft = failures
            self.failure = failure
        }

        func handle(method: HTTPRequest.Method, path: String, body: [UInt8], signed: Bool) -> (HTTPResponse.Status, [UInt8]) {
            attempts += 1
            guard signed else { return (.forbidden, []) }
            if failuresLeft > 0 {
                failuresLeft -= 1
                return (failure, Array("<Error><Code>SlowDown</Code></Error>".utf8))
            }
            switch method {
            case .put:
                objects[path] = body
                return (.ok, [])
            case .get:
                return objects[path].map { (.ok, $0) } ?? (.notFound, [])
            default:
                return (.noContent, [])
            }
        }
    }

    func withBucket(_ bucket: FlakyBucket, _ body: @escaping @Sendable (S3Client) async throws -> Void) async throws {
        let router = Router()
        router.on("**", method: .put, use: respond(bucket))
        router.on("**", method: .get, use: respond(bucket))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let settings = S3Settings(endpoint: "http://127.0.0.1:\(client.port!)", bucket: "flaky", accessKeyID: "AK", secretAccessKey: "SK")
            try await body(try S3Client(settings: settings, retry: .init(attempts: 4, firstDelay: .milliseconds(5))))
        }
    }

    func respond(_ bucket: FlakyBucket) -> @Sendable (Request, BasicRequestContext) async throws -> Response {
        { request, _ in
            let bytes = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            // What the signature covers must be what arrived.
            let signed = request.headers[.authorization]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AK/") == true
                && request.headers[HTTPField.Name("x-amz-content-sha256")!] == SigV4.payloadHash(bytes)
            let (status, body) = await bucket.handle(method: request.method, path: request.uri.path, body: bytes, signed: signed)
            return Response(status: status, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    @Test func serverErrorsAreRetriedUntilTheObjectIsStored() async throws {
        let bucket = FlakyBucket(failures: 3, with: .serviceUnavailable)
        try await withBucket(bucket) { client in
            try await client.putObject(key: "replays/1/a.json.gz", bytes: [7, 8, 9])
            let read = try await client.getObject(key: "replays/1/a.json.gz")
            #expect(read == [7, 8, 9])
        }
        let attempts = await bucket.attempts
        #expect(attempts == 5)
    }

    @Test func persistentServerErrorsFailThePutAfterTheLastAttempt() async throws {
        let bucket = FlakyBucket(failures: 100, with: .internalServerError)
        try await withBucket(bucket) { client in
            let failure = await #expect(throws: S3Client.Failure.self) { try await client.putObject(key: "k", bytes: [1]) }
            #expect(failure?.status == 500 && failure?.code == "SlowDown")
        }
        let attempts = await bucket.attempts
        #expect(attempts == 4)
    }

    @Test func aRefusalIsNotRetried() async throws {
        let bucket = FlakyBucket(failures: 100, with: .forbidden)
        try await withBucket(bucket) { client in
            await #expect(throws: S3Client.Failure.self) { try await client.putObject(key: "k", bytes: [1]) }
        }
        let attempts = await bucket.attempts
        #expect(attempts == 1)
    }

    @Test func anUnreachableEndpointFailsAfterRetrying() async throws {
        let settings = S3Settings(endpoint: "http://127.0.0.1:1", bucket: "nowhere", accessKeyID: "AK", secretAccessKey: "SK")
        let retry = S3Client.Retry(attempts: 2, firstDelay: .milliseconds(5), checkTimeout: .milliseconds(300))
        let blobs = S3BlobStore(client: try S3Client(settings: settings, retry: retry))
        let error = await #expect(throws: BlobStoreError.self) { try await blobs.checkReachable() }
        #expect(error?.description.contains("the bucket nowhere at http://127.0.0.1:1 is unreachable") == true)
    }
}
