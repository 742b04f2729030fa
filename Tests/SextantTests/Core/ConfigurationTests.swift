import Foundation
import Testing
@testable import SextantCore

@Suite struct ConfigurationTests {
    /// A configuration file in a fresh directory (kept while the directory lives).
    static func write(_ text: String) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/sextant.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (directory, path)
    }

    @Test func defaultsNeedNoFile() throws {
        let configuration = try SextantConfiguration.load(file: nil, environment: [:])
        #expect(configuration.listen == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(configuration.dataDirectory == "./sextant-data" && configuration.dashboardPassword == nil)
        #expect(configuration.organizations.isEmpty)
    }

    @Test func readsYAMLWithEveryDocumentedField() throws {
        let (directory, path) = try Self.write("""
            listen: "0.0.0.0:9000"
            data_dir: "/var/lib/sextant"
            dashboard_password: "s3cret"
            limits: { max_body_bytes: 1000, max_decompressed_bytes: 5000 }
            organizations:
              - id: acme
                name: Acme
                tokens:
                  - { token: "luc_api_ro", scopes: ["read:lucent"] }
                oauth_clients:
                  - { client_id: "ci-bot", client_secret: "x", scopes: ["read:lucent"] }
                projects:
                  - slug: inventory
                    keys: ["sg_live_abc", "luc_pk_abc"]
                    origins: ["https://app.example.com"]
                    server_key: "sg_server_abc"
                    rate_limit: { requests_per_second: 100, burst: 200 }
                    retention_days: { replays: 21 }
                    monitors: [{ slug: "nightly", schedule: "0 3 * * *" }]
            """)
        let configuration = try SextantConfiguration.load(file: path, environment: [:])
        _ = directory
        #expect(configuration.listen == ListenAddress(host: "0.0.0.0", port: 9000))
        #expect(configuration.dataDirectory == "/var/lib/sextant" && configuration.dashboardPassword == "s3cret")
        #expect(configuration.limits.maxBodyBytes == 1000 && configuration.limits.maxDecompressedBytes == 5000)
        let project = configuration.organizations[0].projects[0]
        #expect(project.keys == ["sg_live_abc", "luc_pk_abc"] && project.serverKey == "sg_server_abc")
        #expect(project.rateLimit == RateLimit(requestsPerSecond: 100, burst: 200))
        #expect(configuration.organizations[0].tokens == [TokenConfig(token: "luc_api_ro", scopes: [.readLucent])])
        #expect(configuration.organizations[0].oauthClients.first?.clientID == "ci-bot")
    }

    @Test func flagsOverrideEnvironmentWhichOverridesTheFile() throws {
        let (directory, path) = try Self.write(#"{"listen": "127.0.0.1:1000", "data_dir": "file-dir", "dashboard_password": "file"}"#)
        _ = directory
        let environment = ["SEXTANT_LISTEN": "127.0.0.1:2000", "SEXTANT_DATA_DIR": "env-dir", "SEXTANT_DASHBOARD_PASSWORD": "env"]
        let fromEnvironment = try SextantConfiguration.load(file: path, environment: environment)
        #expect(fromEnvironment.listen.port == 2000 && fromEnvironment.dataDirectory == "env-dir" && fromEnvironment.dashboardPassword == "env")
        let fromFlags = try SextantConfiguration.load(file: path, environment: environment, listen: "[::1]:3000", dataDirectory: "flag-dir")
        #expect(fromFlags.listen == ListenAddress(host: "::1", port: 3000) && fromFlags.dataDirectory == "flag-dir")
        #expect(fromFlags.listen.isLoopback)
    }

    @Test(arguments: [
        "listen: nonsense",
        "organizations: [{ id: a, projects: [{ slug: x, keys: [k] }, { slug: x }] }]",
        "organizations: [{ id: a, projects: [{ slug: x, keys: [k] }, { slug: y, keys: [k] }] }]",
        "organizations: [{ id: a, projects: [{ slug: 'bad slug' }] }]",
        "organizations: [{ id: a }, { id: a }]",
        "organizations: [{ id: a, tokens: [{ token: t, scopes: ['admin'] }] }]",
        "organizations: [{ id: a, projects: [{ slug: x, rate_limit: { requests_per_second: 0, burst: 1 } }] }]",
        "limits: { max_body_bytes: 0 }",
        "organizations: [{ id: a, projects: [{ slug: x, retention_days: { logs: -1 } }] }]",
        "organizations: [{ id: a, projects: [{ slug: x, monitors: [{ slug: m, schedule: '61 * * * *' }] }] }]",
        "organizations: {",
    ])
    func refusesConfigurationsThatCannotWork(_ yaml: String) throws {
        let (directory, path) = try Self.write(yaml)
        _ = directory
        #expect(throws: ConfigurationError.self) { try SextantConfiguration.load(file: path, environment: [:]) }
    }
}
