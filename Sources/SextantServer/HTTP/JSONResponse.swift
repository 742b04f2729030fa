import HTTPTypes
import Hummingbird
import SextantCore

extension Response {
    /// A JSON response built with `JSONWriter`.
    static func json(_ writer: JSONWriter, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// A JSON object whose members `build` writes.
    static func jsonObject(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], _ build: (inout JSONWriter) -> Void) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        build(&writer)
        writer.endObject()
        return json(writer, status: status, headers: headers)
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
    static let spyglassKey = Self("X-Spyglass-Key")!
    static let apiKey = Self("X-API-Key")!
    static let lucentKey = Self("X-Lucent-Api-Key")!
    static let deprecation = Self("Deprecation")!
    static let seeStackKey = Self("X-SeeStack-Key")!
    static let allStakKey = Self("X-AllStak-Key")!
    static let rateLimitLimit = Self("X-RateLimit-Limit")!
    static let rateLimitRemaining = Self("X-RateLimit-Remaining")!
    static let rateLimitReset = Self("X-RateLimit-Reset")!
    static let forwardedProto = Self("X-Forwarded-Proto")!
}
