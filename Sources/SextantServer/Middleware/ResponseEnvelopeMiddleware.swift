import Foundation
import Hummingbird
import Logging
import SextantCore
import Synchronization

/// Outermost middleware: request ids, JSON errors (404, 405, 500), the SPA fallback for unknown
/// non-API paths, and HTTP metrics, so every response, successful or not, is handled alike.
struct ResponseEnvelopeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let routes: RouteTable
    let dashboard: DashboardController
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        context.requestID = request.headers[.requestID].flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
            ?? UUID().uuidString.lowercased()
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try await render(error, request: request, context: context)
        }
        response.headers[.requestID] = context.requestID
        metrics.record(request: request, route: context.endpointPath, status: response.status, elapsed: ContinuousClock.now - started)
        if request.method == .post, response.status.code >= 400, let route = context.endpointPath {
            metrics.rejected(route: route, status: response.status)
        }
        return response
    }

    private func render(_ error: any Error, request: Request, context: Context) async throws -> Response {
        switch error {
        case let apiError as APIError:
            return try apiError.response(from: request, context: context)
        case let httpError as any HTTPResponseError where httpError.status == .notFound:
            return try await notFound(request, context: context)
        case let httpError as any HTTPResponseError where httpError.status.code < 500:
            let message = (httpError as? HTTPError)?.body ?? httpError.status.reasonPhrase
            let rendered = APIError.plain(httpError.status, message)
            return try rendered.response(from: request, context: context)
        default:
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return try APIError.plain(.internalServerError, "internal error").response(from: request, context: context)
        }
    }

    private func notFound(_ request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let allowed = routes.methods(path: path)
        if !allowed.isEmpty, !allowed.contains(request.method) {
            var error = APIError.plain(.methodNotAllowed, "method not allowed")
            let names = Set(allowed.map(\.rawValue) + (allowed.contains(.get) ? ["HEAD"] : []))
            error.headers[.allow] = names.sorted().joined(separator: ", ")
            return try error.response(from: request, context: context)
        }
        if (request.method == .get || request.method == .head) && !RouteTable.isAPIPath(path) {
            do {
                return try dashboard.index(request, context: context)
            } catch let error as APIError {
                return try error.response(from: request, context: context)
            }
        }
        return try APIError.notFound("not found").response(from: request, context: context)
    }
}

/// The registered routes, for telling 405 from 404. Filled once after registration.
final class RouteTable: Sendable {
    private let patterns = Mutex<[(method: HTTPRequest.Method, segments: [Substring])]>([])

    static let apiPrefixes = ["/v1/", "/api/", "/ingest/", "/oauth/"]

    static func isAPIPath(_ path: String) -> Bool {
        apiPrefixes.contains { path.hasPrefix($0) || path + "/" == $0 }
    }

    func load(_ routes: [(path: String, method: HTTPRequest.Method)]) {
        patterns.withLock { $0 = routes.map { ($0.method, $0.path.split(separator: "/")) } }
    }

    /// The methods registered for `path` (empty when no route matches it).
    func methods(path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return patterns.withLock { patterns in
            patterns.filter { pattern in
                pattern.segments.count == segments.count
                    && zip(pattern.segments, segments).allSatisfy { $0.hasPrefix(":") || $0.hasPrefix("{") || $0 == "*" || $0 == $1 }
            }.map(\.method)
        }
    }
}
