import Hummingbird
import SextantCore

/// Rate-limit admission for ingest routes: the `X-RateLimit-*` headers go on every response after
/// the key is known, success or error, and a refusal is rendered in each product's own format.
struct IngestAdmission: Sendable {
    let limiter: RateLimiter

    /// Admits one request for `project` and runs `handler`, adding the rate headers to its response
    /// or error. `refusal` is the product's 429.
    /// `retryHeaders` adds a product's own back-off headers to a refusal (Sentry's `X-Sentry-Rate-Limits`).
    func admit(
        _ project: Project, refusal: @autoclosure () -> APIError, retryHeaders: (Int) -> HTTPFields = { _ in [:] },
        _ handler: () async throws -> Response
    ) async throws -> Response {
        let decision = limiter.admit(projectID: project.id, settings: project.rateLimit)
        var headers: HTTPFields = [
            .rateLimitLimit: String(decision.limit), .rateLimitRemaining: String(decision.remaining),
            .rateLimitReset: String(decision.resetAt),
        ]
        guard decision.allowed else {
            headers[.retryAfter] = String(decision.retryAfter)
            var error = refusal()
            error.headers.append(contentsOf: headers)
            error.headers.append(contentsOf: retryHeaders(decision.retryAfter))
            throw error
        }
        do {
            var response = try await handler()
            response.headers.append(contentsOf: headers)
            return response
        } catch var error as APIError {
            error.headers.append(contentsOf: headers)
            throw error
        }
    }
}
