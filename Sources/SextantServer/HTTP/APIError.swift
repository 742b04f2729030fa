import Foundation
import HTTPTypes
import Hummingbird
import SextantCore

/// A client-facing error with its exact body, so each API family renders its own envelope.
public struct APIError: Error, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var body: [UInt8]
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status, body: [UInt8], headers: HTTPFields = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    /// `{"error": message}` plus optional extra members, the spyglass and generic shape.
    public static func plain(_ status: HTTPResponse.Status, _ message: String, extra: (inout JSONWriter) -> Void = { _ in }) -> APIError {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.string(message)
        extra(&writer)
        writer.endObject()
        return APIError(status: status, body: writer.bytes)
    }

    public static func badRequest(_ message: String) -> APIError { plain(.badRequest, message) }
    public static func notFound(_ message: String) -> APIError { plain(.notFound, message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        if fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
