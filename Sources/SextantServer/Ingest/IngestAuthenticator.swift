import Hummingbird
import SextantCore
import Synchronization

/// Resolves ingest keys and CORS origins, with a short cache: ingest authenticates every request,
/// and keys created or revoked from the CLI take effect within `ttl`.
final class IngestAuthenticator: Sendable {
    private struct CachedKey {
        var credential: IngestCredential?
        var expires: ContinuousClock.Instant
    }

    private struct CachedProjects {
        var projects: [Project]
        var expires: ContinuousClock.Instant
    }

    private let store: any TenancyStore
    private let ttl: Duration
    private let keys = Mutex<[String: CachedKey]>([:])
    private let projects = Mutex<CachedProjects?>(nil)
    /// Entries and key length together bound the cache: 10,000 x 256 bytes at most. Real keys
    /// are far shorter; a longer one is refused without a lookup and never cached.
    private static let maximumCachedKeys = 10_000
    static let maximumKeyLength = 256

    init(store: any TenancyStore, ttl: Duration = .seconds(2)) {
        self.store = store
        self.ttl = ttl
    }

    func credential(for key: String) async throws -> IngestCredential? {
        guard key.utf8.count <= Self.maximumKeyLength else { return nil }
        let now = ContinuousClock.now
        if let cached = keys.withLock({ $0[key] }), cached.expires > now {
            return cached.credential
        }
        let credential = try await store.resolveIngestKey(key)
        keys.withLock { cache in
            if cache.count >= Self.maximumCachedKeys { cache.removeAll(keepingCapacity: true) }
            cache[key] = CachedKey(credential: credential, expires: now + ttl)
        }
        return credential
    }

    /// Authenticates `key`, optionally for the named `app`; 401 with `unauthorized` otherwise.
    func authenticate(key: String?, app: String?, unauthorized: @autoclosure () -> APIError) async throws -> IngestCredential {
        guard let key, !key.isEmpty, let credential = try await credential(for: key) else { throw unauthorized() }
        if let app, app != credential.project.slug { throw unauthorized() }
        return credential
    }

    func allProjects() async throws -> [Project] {
        let now = ContinuousClock.now
        if let cached = projects.withLock({ $0 }), cached.expires > now { return cached.projects }
        let fresh = try await store.projects()
        projects.withLock { $0 = CachedProjects(projects: fresh, expires: now + ttl) }
        return fresh
    }

    /// Whether a preflight from `origin` is allowed: by the named project, or by any project.
    func preflightAllows(origin: String, app: String?) async throws -> Bool {
        let candidates = try await allProjects().filter { app == nil || $0.slug == app }
        return candidates.contains { $0.allowsOrigin(origin) }
    }
}
