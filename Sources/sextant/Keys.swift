import ArgumentParser
import Foundation
import SextantCore
import SextantStores

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage ingest keys: public, write-only keys that SDKs send with their data.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an ingest key to a project and print it.")

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "Project slug the key writes into.")
        var project: String
        @Option(help: "Use this exact key (e.g. an existing luc_pk_… or sg_live_… key) instead of generating one.")
        var key: String?

        func run() async throws {
            let configuration = try options.resolve()
            try await StoreFactory.withStore(configuration) { store in
                let newKey = key ?? Secrets.newIngestKey()
                try await store.tenancy.addIngestKey(newKey, projectSlug: project, source: .cli, now: nowMilliseconds())
                print(newKey)
                // On standard error, so `KEY=$(sextant keys create …)` still captures the key alone.
                if let created = try await store.tenancy.project(slug: project) {
                    let base = configuration.publicURL ?? "http://\(configuration.listen.host):\(configuration.listen.port)"
                    FileHandle.standardError.write(Data("Sentry DSN: \(SentryDSN.make(key: newKey, base: base, projectID: created.id))\n".utf8))
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List ingest keys, active and revoked.")

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "Only this project's keys.")
        var project: String?

        func run() async throws {
            try await StoreFactory.withStore(try options.resolve()) { store in
                for key in try await store.tenancy.ingestKeys(projectSlug: project) {
                    let state = key.revokedAt.map { "revoked \(formatTime($0))" } ?? "active"
                    print("\(key.key)\t\(key.projectSlug)\t\(key.source)\t\(state)")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an ingest key; the server refuses it within seconds.")

        @OptionGroup var options: ConfigurationOptions
        @Argument(help: "The key to revoke.")
        var key: String

        func run() async throws {
            try await StoreFactory.withStore(try options.resolve()) { store in
                guard try await store.tenancy.revokeIngestKey(key, now: nowMilliseconds()) else {
                    throw ValidationError("no active key matches")
                }
                print("revoked")
            }
        }
    }
}
