import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The four S3 operations Sextant needs, and a bucket check, SigV4-signed over async-http-client.
/// A 5xx, a 429 or a failed connection is retried with exponential backoff; anything else is the
/// answer.
public struct S3Client: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var operation: String
        public var status: Int?
        public var code: String?
        public var underlying: String?

        public var description: String {
            if let status { return "S3 \(operation): HTTP \(status)\(code.map { " \($0)" } ?? "")" }
            return "S3 \(operation): \(underlying ?? "no answer")"
        }
    }

    /// Attempts in all (the first one included), the first wait between two of them, and how
    /// long one attempt may take: a transfer, or a bucket check (which must answer a load
    /// balancer's probe in time). The HTTP client keeps reconnecting until an attempt's deadline.
    public struct Retry: Sendable {
        public var attempts: Int
        public var firstDelay: Duration
        public var transferTimeout: Duration
        public var checkTimeout: Duration

        public init(
            attempts: Int = 5, firstDelay: Duration = .milliseconds(100), transferTimeout: Duration = .seconds(60),
            checkTimeout: Duration = .seconds(3)
        ) {
            self.attempts = attempts
            self.firstDelay = firstDelay
            self.transferTimeout = transferTimeout
            self.checkTimeout = checkTimeout
        }
    }

    let settings: S3Settings
    let signer: SigV4
    let retry: Retry
    let http: HTTPClient
    let origin: Origin
    /// Replay chunks are at most a few MiB and attachments tens; this bounds a misbehaving server.
    static let maxObjectBytes = 512 << 20

    public init(settings: S3Settings, retry: Retry = .init(), http: HTTPClient = .shared) throws {
        guard let origin = Origin(settings.resolvedEndpoint) else {
            throw ConfigurationError("blobs.s3.endpoint is not an http(s) origin: \(settings.resolvedEndpoint)")
        }
        self.settings = settings
        self.origin = origin
        self.retry = retry
        self.http = http
        signer = SigV4(accessKeyID: settings.accessKeyID, secretAccessKey: settings.secretAccessKey, region: settings.region)
    }

    /// Returns once the server answered 200: S3 answers so only when the object is stored.
    public func putObject(key: String, bytes: [UInt8]) async throws {
        _ = try await send("PUT", key: key, body: bytes, expecting: [200], operation: "PUT \(key)")
    }

    /// Nil when there is no such object.
    public func getObject(key: String) async throws -> [UInt8]? {
        let answer = try await send("GET", key: key, expecting: [200, 404], operation: "GET \(key)")
        return answer.status == 404 ? nil : answer.body
    }

    /// Deleting what is not there succeeds, as on S3.
    public func deleteObject(key: String) async throws {
        _ = try await send("DELETE", key: key, expecting: [200, 204, 404], operation: "DELETE \(key)")
    }

    /// Every key under `prefix`, `pageSize` keys (S3's most: 1,000) a request.
    public func listObjects(prefix: String, pageSize: Int = 1_000) async throws -> [String] {
        var keys: [String] = []
        var continuation: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(pageSize))]
            if let continuation { query.append(("continuation-token", continuation)) }
            let answer = try await send("GET", key: nil, query: query, expecting: [200], operation: "LIST \(prefix)")
            let page = ListPage(xml: String(decoding: answer.body, as: UTF8.self))
            keys += page.keys
            continuation = page.truncated ? page.nextContinuation : nil
        } while continuation != nil
        return keys
    }

    /// Throws unless the bucket exists and these credentials may use it. One attempt: a probe
    /// that waited through retries would answer too late to matter.
    public func checkBucket() async throws {
        _ = try await send(
            "HEAD", key: nil, expecting: [200], operation: "HEAD bucket \(settings.bucket)", attempts: 1, timeout: retry.checkTimeout)
    }

    struct Answer {
        var status: Int
        var body: [UInt8]
    }

    func send(
        _ method: String, key: String?, query: [(String, String)] = [], body: [UInt8]? = nil, expecting: Set<Int>, operation: String,
        attempts: Int? = nil, timeout: Duration? = nil
    ) async throws -> Answer {
        var attempt = 0
        while true {
            attempt += 1
            let failure: Failure
            do {
                let answer = try await sendOnce(method, key: key, query: query, body: body, timeout: timeout ?? retry.transferTimeout)
                if expecting.contains(answer.status) { return answer }
                failure = Failure(operation: operation, status: answer.status, code: Self.errorCode(answer.body))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = Failure(operation: operation, underlying: String(describing: error))
            }
            // An answer below 500 (but 429, S3's "slow down" elsewhere) is final: retrying a 403 changes nothing.
            if let status = failure.status, status < 500, status != 429 { throw failure }
            guard attempt < attempts ?? retry.attempts else { throw failure }
            // Jittered: nodes that failed together do not retry together.
            let ceiling = retry.firstDelay * (1 << (attempt - 1))
            try await Task.sleep(for: ceiling * Double.random(in: 0.5...1))
        }
    }

    func sendOnce(_ method: String, key: String?, query: [(String, String)], body: [UInt8]?, timeout: Duration) async throws -> Answer {
        let target = origin.target(bucket: settings.bucket, key: key, pathStyle: settings.usesPathStyle)
        let payloadHash = body.map(SigV4.payloadHash) ?? SigV4.emptyPayloadHash
        let signed = signer.sign(method: method, host: target.host, path: target.path, query: query, payloadHash: payloadHash, date: Date())
        let queryText = query.map { "\(S3Path.encodeComponent($0.0))=\(S3Path.encodeComponent($0.1))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: target.url + (queryText.isEmpty ? "" : "?" + queryText))
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Host", value: target.host)
        for (name, value) in signed { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/octet-stream")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout / .nanoseconds(1))))
        let buffer = try await response.body.collect(upTo: Self.maxObjectBytes)
        return Answer(status: Int(response.status.code), body: Array(buffer.readableBytesView))
    }

    /// `<Code>NoSuchBucket</Code>` from an S3 error body.
    static func errorCode(_ body: [UInt8]) -> String? {
        XMLText.elements("Code", in: String(decoding: body.prefix(4096), as: UTF8.self)).first
    }
}

/// The endpoint's scheme, host and port, and the URL, Host header and signed path of a request.
struct Origin {
    var scheme: String
    var host: String
    var port: Int?

    init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), let host = url.host else { return nil }
        self.scheme = scheme
        self.host = host
        port = url.port
    }

    struct Target: Equatable {
        var url: String
        var host: String
        var path: String
    }

    func target(bucket: String, key: String?, pathStyle: Bool) -> Target {
        let objectPath = key.map { "/" + S3Path.encode($0) } ?? ""
        let authority = { (host: String) in port.map { "\(host):\($0)" } ?? host }
        if pathStyle {
            let path = "/\(bucket)" + objectPath
            return Target(url: "\(scheme)://\(authority(host))\(path)", host: authority(host), path: path)
        }
        let path = objectPath.isEmpty ? "/" : objectPath
        let virtualHost = authority("\(bucket).\(host)")
        return Target(url: "\(scheme)://\(virtualHost)\(path)", host: virtualHost, path: path)
    }
}

/// A ListObjectsV2 answer's keys and where the next page starts.
struct ListPage {
    var keys: [String]
    var truncated: Bool
    var nextContinuation: String?

    init(xml: String) {
        keys = XMLText.elements("Key", in: xml)
        truncated = XMLText.elements("IsTruncated", in: xml).first == "true"
        nextContinuation = XMLText.elements("NextContinuationToken", in: xml).first
    }
}

/// The text of flat elements in S3's XML answers, which hold no nested markup in these fields.
enum XMLText {
    static func elements(_ name: String, in xml: String) -> [String] {
        var values: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(name)>"), let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            values.append(unescape(String(rest[open.upperBound..<close.lowerBound])))
            rest = rest[close.upperBound...]
        }
        return values
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
