import Hummingbird
import SextantCore

/// CORS for ingest routes (API.md §4): preflights against projects' origins, and the allow-origin
/// header on responses only when the body's project allows that origin.
enum CORS {
    static let allowedHeaders = "Content-Type, Content-Encoding, Authorization, X-API-Key, X-Spyglass-Key, X-Lucent-Api-Key"

    static func preflightResponse(origin: String) -> Response {
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = origin
        headers[.accessControlAllowMethods] = "POST, OPTIONS"
        headers[.accessControlAllowHeaders] = allowedHeaders
        headers[.accessControlMaxAge] = "86400"
        headers[.vary] = "Origin"
        return Response(status: .noContent, headers: headers)
    }

    static func preflight(_ request: Request, authenticator: IngestAuthenticator) async throws -> Response {
        guard let origin = request.headers[.origin],
              try await authenticator.preflightAllows(origin: origin, app: QueryParameters(request).string("app"))
        else {
            return Response(status: .forbidden, headers: [.vary: "Origin"])
        }
        return preflightResponse(origin: origin)
    }

    /// Checks a browser request's origin against the authenticated project: 403 when refused,
    /// else the headers to add to the response.
    static func check(_ request: Request, credential: IngestCredential, forbidden: @autoclosure () -> APIError) throws -> HTTPFields {
        guard let origin = request.headers[.origin] else { return [:] }
        if credential.project.allowsOrigin(origin) {
            return [.accessControlAllowOrigin: origin, .vary: "Origin"]
        }
        if credential.isServerKey { return [:] }
        throw forbidden()
    }
}
