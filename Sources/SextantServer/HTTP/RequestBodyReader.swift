import Hummingbird
import NIOCore
import SextantCore

/// Reads request bodies within the configured wire and decompressed limits (API.md §3).
struct RequestBodyReader: Sendable {
    var limits: SextantConfiguration.Limits

    /// The body as received, refusing more than `limit` bytes on the wire.
    func raw(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge(limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge(limit)
        }
    }

    /// A JSON body, inflated when it is gzip (by header, or by its magic bytes: beacons cannot set headers).
    func json(_ request: Request) async throws -> ByteBuffer {
        let body = try await raw(request, limit: limits.maxBodyBytes)
        let declaredGzip = request.headers[.contentEncoding]?.lowercased().contains("gzip") ?? false
        guard declaredGzip || GzipBody.isGzip(body) else {
            guard body.readableBytes <= limits.maxDecompressedBytes else { throw tooLarge(limits.maxDecompressedBytes) }
            return body
        }
        return try inflate(body)
    }

    /// Inflates gzip bytes within the decompressed limit: 400 when corrupt, 413 when too large.
    func inflate(_ body: ByteBuffer) throws -> ByteBuffer {
        // The inflated bytes count against the in-flight budget too: the gzip trailer says how
        // many there will be (modulo 4 GiB; the limit caps them anyway).
        try InFlightBytes.current?.take(min(GzipBody.declaredInflatedSize(body) ?? limits.maxDecompressedBytes, limits.maxDecompressedBytes))
        do {
            return try GzipBody.inflate(body, limit: limits.maxDecompressedBytes)
        } catch GzipBodyError.tooLarge {
            throw tooLarge(limits.maxDecompressedBytes)
        } catch {
            throw APIError.badRequest("body is not valid gzip")
        }
    }

    private func tooLarge(_ limit: Int) -> APIError {
        APIError.plain(.contentTooLarge, "request body too large (limit \(limit) bytes)")
    }
}
