import HTTPTypes
import Hummingbird

/// Refuses state-changing dashboard requests that another site's page made the browser send.
/// The browser resends the dashboard password (Basic auth) to any request for this origin, so
/// the password alone cannot tell our page from someone else's. Browsers mark every request with
/// `Sec-Fetch-Site` or, for non-GET requests, with `Origin`; tools like curl send neither and pass.
struct CrossSiteGuard: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        if let site = request.headers[.secFetchSite] {
            guard site == "same-origin" || site == "none" else { throw Self.refusal }
        } else if let origin = request.headers[.origin] {
            guard Self.host(ofOrigin: origin) == request.head.authority?.lowercased() else { throw Self.refusal }
        }
        return try await next(request, context)
    }

    static let refusal = APIError.plain(.forbidden, "cross-site request refused: changes are accepted only from the dashboard's own pages")

    /// `host[:port]` of an `Origin` header (`scheme://host[:port]`); nil for `null` or anything else.
    static func host(ofOrigin origin: String) -> String? {
        guard let separator = origin.range(of: "://") else { return nil }
        let rest = origin[separator.upperBound...]
        guard !rest.isEmpty, !rest.contains("/") else { return nil }
        return rest.lowercased()
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
