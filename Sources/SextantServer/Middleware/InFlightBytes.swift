import Hummingbird
import SextantCore
import Synchronization

/// The request bytes held in memory across all requests, on the wire and inflated. A request
/// reserves its declared size (or the body limit when undeclared) before its body is read, and
/// what it inflates as it inflates it; past the budget it is answered 503 + Retry-After at once,
/// so 200 large uploads (or 200 invalid keys with large bodies) cannot take the process's memory.
final class InFlightBytes: Sendable {
    private let capacity: Int
    private let used = Mutex(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// One request's share; released when the request ends.
    final class Lease: Sendable {
        let budget: InFlightBytes
        private let held = Mutex(0)

        init(budget: InFlightBytes) {
            self.budget = budget
        }

        /// Takes `bytes` more, or throws the 503 when the budget cannot spare them.
        func take(_ bytes: Int) throws {
            guard bytes > 0 else { return }
            guard budget.reserve(bytes) else { throw InFlightBytes.refusal }
            held.withLock { $0 += bytes }
        }

        func releaseAll() {
            let bytes = held.withLock { held in
                defer { held = 0 }
                return held
            }
            budget.release(bytes)
        }
    }

    /// The lease of the request this task serves, for readers deeper in the handler.
    @TaskLocal static var current: Lease?

    static var refusal: APIError {
        var error = APIError.plain(.serviceUnavailable, "too many request bytes in flight, retry shortly")
        error.headers[.retryAfter] = "1"
        return error
    }

    var bytesInUse: Int { used.withLock { $0 } }

    private func reserve(_ bytes: Int) -> Bool {
        used.withLock { used in
            // One request larger than the whole budget still runs when nothing else does.
            guard used == 0 || used + bytes <= capacity else { return false }
            used += bytes
            return true
        }
    }

    private func release(_ bytes: Int) {
        used.withLock { $0 = max(0, $0 - bytes) }
    }
}

/// Reserves each request body's wire size before anything reads it.
struct InFlightBytesMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let budget: InFlightBytes
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        let hasBody = declared.map { $0 > 0 } ?? (request.headers[.transferEncoding] != nil)
        guard hasBody else { return try await next(request, context) }
        let lease = InFlightBytes.Lease(budget: budget)
        defer { lease.releaseAll() }
        try lease.take(min(declared ?? maxBodyBytes, maxBodyBytes))
        return try await InFlightBytes.$current.withValue(lease) { try await next(request, context) }
    }
}
