import Foundation
import Hummingbird
import SextantCore

/// HTTP Basic auth with the dashboard password (any user name), for the dashboard and spyglass
/// reads. Wrong passwords are throttled per client address (`LoginThrottle`).
struct DashboardGate: Sendable {
    let password: String?
    let throttle: LoginThrottle

    init(password: String?, throttle: LoginThrottle = LoginThrottle()) {
        self.password = password
        self.throttle = throttle
    }

    func isAuthorized(_ request: Request) -> Bool {
        guard let password else { return true }
        guard let credentials = request.basicCredentials else { return false }
        return Secrets.constantTimeEquals(credentials.password, password)
    }

    let challengeHeader = "Basic realm=\"Sextant\", charset=\"UTF-8\""

    var challenge: APIError {
        var error = APIError.plain(.unauthorized, "authentication required")
        error.headers[.wwwAuthenticate] = challengeHeader
        return error
    }

    /// Passes an authorized request; refuses others with the challenge, or with 429 when the
    /// client's address has failed too often (its guess is then not even checked).
    func require(_ request: Request, context: AppRequestContext) throws {
        guard password != nil else { return }
        let address = context.clientAddress
        if let seconds = throttle.retryAfter(address) {
            var error = APIError.plain(.tooManyRequests, "too many failed sign-ins, retry later")
            error.headers[.retryAfter] = String(seconds)
            throw error
        }
        guard isAuthorized(request) else {
            // A request without credentials is the browser asking for the prompt, not a guess.
            if request.basicCredentials != nil { throttle.recordFailure(address) }
            throw challenge
        }
    }
}

/// Applies `DashboardGate` to a route group.
struct DashboardAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let gate: DashboardGate

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try gate.require(request, context: context)
        return try await next(request, context)
    }
}
