import Foundation
import Hummingbird
import SextantCore

/// HTTP Basic auth with the dashboard password (any user name), for the dashboard and spyglass reads.
struct DashboardGate: Sendable {
    let password: String?

    func isAuthorized(_ request: Request) -> Bool {
        guard let password else { return true }
        guard let credentials = request.basicCredentials else { return false }
        return Secrets.constantTimeEquals(credentials.password, password)
    }

    var challenge: APIError {
        var error = APIError.plain(.unauthorized, "authentication required")
        error.headers[.wwwAuthenticate] = "Basic realm=\"Sextant\", charset=\"UTF-8\""
        return error
    }

    func require(_ request: Request) throws {
        guard isAuthorized(request) else { throw challenge }
    }
}

/// Applies `DashboardGate` to a route group.
struct DashboardAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let gate: DashboardGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try gate.require(request)
        return try await next(request, context)
    }
}
