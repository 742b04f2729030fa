import HTTPTypes
import Hummingbird
import SextantCore

/// Who a Data API request acts for: the organization and scopes of its bearer token.
struct DataAPIPrincipal: Sendable {
    var organizationID: String
    var scopes: [TokenScope]
    /// Limits count per token, or per OAuth client for the tokens issued to one client.
    var rateKey: String
}

/// Authentication, per-token rate limits and scope checks for the Data API (seed: lucent-data-api),
/// with `Cache-Control: no-store` and the rate headers on every response it guards.
struct DataAPIGuard: Sendable {
    enum Access { case read, write }

    static let tokenPrefixes = ["luc_api_", "luc_oat_", "luc_mcp_", "sx_api_"]

    static let readLimit = 300
    static let writeLimit = 60
    static let windowMs: Int64 = 60_000

    let tenancy: any TenancyStore
    /// The store's: shared by every node on one database.
    let windows: any RequestWindows
    let clock: WallClock

    init(tenancy: any TenancyStore, windows: any RequestWindows, clock: WallClock) {
        self.tenancy = tenancy
        self.windows = windows
        self.clock = clock
    }

    func guarded(
        _ request: Request, access: Access, scope: TokenScope, _ handler: (DataAPIPrincipal) async throws -> Response
    ) async throws -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        guard let principal = try await authenticate(request) else {
            var error = APIError.plain(.unauthorized, "Missing or invalid bearer token")
            error.headers = headers
            error.headers[.wwwAuthenticate] = "Bearer scope=\"\(scope.rawValue)\""
            throw error
        }
        do {
            headers.append(contentsOf: try await admit(principal, access: access))
            guard principal.scopes.contains(scope) else { throw APIError.plain(.forbidden, "Missing required scope: \(scope.rawValue)") }
            var response = try await handler(principal)
            response.headers.append(contentsOf: headers)
            return response
        } catch var error as APIError {
            error.headers.append(contentsOf: headers)
            throw error
        }
    }

    /// Counts one request against the token's window: its `X-RateLimit-*` headers, or a 429 with
    /// them and `Retry-After` (the Data API and MCP share the windows).
    func admit(_ principal: DataAPIPrincipal, access: Access) async throws -> HTTPFields {
        let decision = try await windows.admit(
            (access == .read ? "read " : "write ") + principal.rateKey, limit: access == .read ? Self.readLimit : Self.writeLimit,
            windowMs: Self.windowMs, now: clock.nowMilliseconds())
        let headers: HTTPFields = [
            .rateLimitLimit: String(decision.limit), .rateLimitRemaining: String(decision.remaining), .rateLimitReset: String(decision.resetAt),
        ]
        guard decision.allowed else {
            var error = APIError.plain(.tooManyRequests, "Rate limit exceeded")
            error.headers = headers
            error.headers[.retryAfter] = String(decision.retryAfter)
            throw error
        }
        return headers
    }

    func authenticate(_ request: Request) async throws -> DataAPIPrincipal? {
        guard let token = request.bearerToken, Self.tokenPrefixes.contains(where: token.hasPrefix),
              let info = try await tenancy.resolveAPIToken(token, now: clock.nowMilliseconds())
        else { return nil }
        return DataAPIPrincipal(
            organizationID: info.organizationID, scopes: info.scopes, rateKey: info.clientID.map { "client:" + $0 } ?? "token:" + info.id)
    }
}
