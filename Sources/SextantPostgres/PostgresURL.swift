import Foundation
import PostgresNIO
import SextantCore

/// `postgres://user:password@host:port/database?sslmode=disable|prefer|require`, as libpq reads it
/// (the parts Sextant needs). Mistakes are reported as one line naming the part that is wrong.
enum PostgresURL {
    static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw ConfigurationError("storage.postgres_url must look like postgres://user:password@host:5432/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ConfigurationError("storage.postgres_url has no host")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError("storage.postgres_url has no user")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw ConfigurationError("storage.postgres_url names no database (…/database at its end)")
        }
        let sslMode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw ConfigurationError("storage.postgres_url: sslmode must be disable, prefer or require, got \"\(sslMode)\"")
        }
        return PostgresClient.Configuration(
            host: host, port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database.removingPercentEncoding ?? database, tls: tls)
    }
}
