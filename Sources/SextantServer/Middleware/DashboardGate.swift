import Foundation
import Hummingbird
import SextantCore

/// HTTP Basic auth with the dashboard password (any user name), for the dashboard and spyglass reads.
struct DashboardGate: Sendable {
    let password: String?

    func isAuthorized(_ request: Request) -> Bool {
        guard let password else { return true }
        guard let header = request.headers[.authorization] else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let credentials = String(data: decoded, encoding: .utf8),
              let colon = credentials.firstIndex(of: ":")
        else { return false }
        return Secrets.constantTimeEquals(String(credentials[credentials.index(after: colon)...]), password)
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
