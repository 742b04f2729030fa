import Foundation
import Testing
@testable import SextantCore

/// The signer against AWS's published S3 example and signatures botocore computes for the same
/// requests (an S3-compatible server checks exactly these).
@Suite struct SigV4Tests {
    let signer = SigV4(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
    let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    func authorization(_ headers: [(String, String)]) -> String? {
        headers.first { $0.0 == "authorization" }?.1
    }

    @Test func awsDocumentedGetObjectExample() {
        let headers = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt", headers: ["range": "bytes=0-9"],
            payloadHash: SigV4.emptyPayloadHash, date: date)
        #expect(authorization(headers) == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(headers.contains { $0 == ("x-amz-date", "20130524T000000Z") })
        #expect(!headers.contains { $0.0 == "host" })
    }

    @Test func queryIsEncodedAndSorted() {
        let headers = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/", query: [("prefix", "replays/a b"), ("list-type", "2")],
            payloadHash: SigV4.emptyPayloadHash, date: date)
        #expect(authorization(headers)?.hasSuffix("Signature=595cf1dda10e31ceb3818363967a200074bfa42ca93939f57782e9830aa44982") == true)
    }

    @Test func pathStylePutWithPortAndEncodedKey() {
        let body = Array("hello".utf8)
        let headers = signer.sign(
            method: "PUT", host: "127.0.0.1:9000", path: "/bucket/" + S3Path.encode("replays/p1/s x/0.json.gz"),
            payloadHash: SigV4.payloadHash(body), date: date)
        #expect(authorization(headers)?.hasSuffix("Signature=1bcdd7a8a6dfc4454fce6c7ef18e6d863b206d6f063646dd48fca97e13ab87d5") == true)
        #expect(headers.contains { $0 == ("x-amz-content-sha256", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824") })
    }

    @Test func addressingStyles() throws {
        let origin = try #require(Origin("https://s3.eu-west-1.amazonaws.com"))
        let virtual = origin.target(bucket: "replays", key: "a/b c", pathStyle: false)
        #expect(virtual == Origin.Target(url: "https://replays.s3.eu-west-1.amazonaws.com/a/b%20c", host: "replays.s3.eu-west-1.amazonaws.com", path: "/a/b%20c"))
        #expect(origin.target(bucket: "replays", key: nil, pathStyle: false).path == "/")
        let minio = try #require(Origin("http://127.0.0.1:9000"))
        let pathStyle = minio.target(bucket: "replays", key: "a/b", pathStyle: true)
        #expect(pathStyle == Origin.Target(url: "http://127.0.0.1:9000/replays/a/b", host: "127.0.0.1:9000", path: "/replays/a/b"))
        #expect(minio.target(bucket: "replays", key: nil, pathStyle: true).path == "/replays")
    }

    @Test func listPagesAndErrorCodes() {
        let page = ListPage(xml: """
            <ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a/1</Key></Contents>\
            <Contents><Key>a/&amp;2</Key></Contents><NextContinuationToken>tok+/=</NextContinuationToken></ListBucketResult>
            """)
        #expect(page.keys == ["a/1", "a/&2"] && page.truncated && page.nextContinuation == "tok+/=")
        #expect(S3Client.errorCode(Array("<Error><Code>NoSuchBucket</Code></Error>".utf8)) == "NoSuchBucket")
    }
}
