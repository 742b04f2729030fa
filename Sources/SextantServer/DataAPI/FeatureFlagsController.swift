import Hummingbird
import SextantCore

/// allstak's flag evaluation (`/api/v1/flags/...`, a Data API bearer token). Sextant defines no
/// feature flags (API.md §11 answers PostHog's `/flags/` with an empty set), so the set is empty
/// and every single flag is unknown: SDKs fall back to the default their caller gave.
struct FeatureFlagsController {
    let guardian: DataAPIGuard

    func register(in router: Router<AppRequestContext>) {
        router.get("/api/v1/flags/evaluate", use: evaluateAll)
        router.get("/api/v1/flags/:key/evaluate", use: evaluateOne)
    }

    @Sendable func evaluateAll(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await guardian.guarded(request, access: .read, scope: .readLucent) { _ in
            .jsonObject { writer in
                writer.key("flags")
                writer.beginObject()
                writer.endObject()
            }
        }
    }

    @Sendable func evaluateOne(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await guardian.guarded(request, access: .read, scope: .readLucent) { _ in
            let key = try context.parameters.decoded("key")
            throw APIError.plain(.notFound, "No feature flag \(key): Sextant defines none")
        }
    }
}
