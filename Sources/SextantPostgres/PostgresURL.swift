import Foundation
import NIOCore
import NIOSSL
import PostgresNIO
import SextantCore

/// `postgres://user:password@host:port/database?sslmode=disable|prefer|require`, as libpq reads it
/// (the parts Sextant needs). Mistakes are reported as one line naming the part that is wrong.
struct PostgresURL {
    enum SSLMode { case disable, prefer, require }

    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    var sslMode: SSLMode

    init(_ url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw ConfigurationError("storage.postgres_url must look like postgres://user:password@host:5432/database")
        }
        guard let host = components.host, !host.isEmpty else { throw ConfigurationError("storage.postgres_url has no host") }
        guard let user = components.user, !user.isEmpty else { throw ConfigurationError("storage.postgres_url has no user") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw ConfigurationError("storage.postgres_url names no database (…/database at its end)") }
        switch components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer" {
        case "disable": sslMode = .disable
        case "prefer", "allow": sslMode = .prefer
        case "require", "verify-ca", "verify-full": sslMode = .require
        case let other: throw ConfigurationError("storage.postgres_url: sslmode must be disable, prefer or require, got \"\(other)\"")
        }
        self.host = host
        port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
    }

    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        return PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// One connection's configuration, for the probe at start.
    func connectionConfiguration(connectTimeout: TimeAmount) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }
}
