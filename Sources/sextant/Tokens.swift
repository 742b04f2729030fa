import ArgumentParser
import SextantCore
import SextantStores

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage Data API tokens (stored hashed; a new token is printed once).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for an organization and print it once.")

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "Organization id (default: the only organization, if there is one).")
        var org: String?
        @Option(name: .customLong("scope"), help: "read:lucent or write:issues; repeat for both (default: read:lucent).")
        var scopes: [String] = []
        @Option(help: "A name to recognise the token by.")
        var name: String?

        func run() async throws {
            let parsed = try scopes.map { text in
                guard let scope = TokenScope(rawValue: text) else { throw ValidationError("unknown scope \(text): use read:lucent or write:issues") }
                return scope
            }
            try await StoreFactory.withStore(try options.resolve()) { store in
                let organizationID = try await resolveOrganization(org, store: store.tenancy)
                let token = Secrets.newAPIToken()
                let info = try await store.tenancy.addAPIToken(
                    token, organizationID: organizationID, scopes: parsed.isEmpty ? [.readLucent] : parsed, name: name, source: .cli,
                    now: nowMilliseconds())
                print(token)
                print("id \(info.id), scopes \(info.scopes.map(\.rawValue).joined(separator: " ")); store it now, it is not shown again")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API tokens by id and prefix (never the token itself).")

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "Only this organization's tokens.")
        var org: String?

        func run() async throws {
            try await StoreFactory.withStore(try options.resolve()) { store in
                for token in try await store.tenancy.apiTokens(organizationID: org) {
                    let state = token.revokedAt.map { "revoked \(formatTime($0))" } ?? "active"
                    let scopes = token.scopes.map(\.rawValue).joined(separator: " ")
                    print("\(token.id)\t\(token.displayPrefix)\t\(token.organizationID)\t\(scopes)\t\(token.name ?? "-")\t\(state)")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API token by its id (see `tokens list`).")

        @OptionGroup var options: ConfigurationOptions
        @Argument(help: "The token's id.")
        var id: String

        func run() async throws {
            try await StoreFactory.withStore(try options.resolve()) { store in
                guard try await store.tenancy.revokeAPIToken(id: id, now: nowMilliseconds()) else {
                    throw ValidationError("no active token has that id")
                }
                print("revoked")
            }
        }
    }
}
