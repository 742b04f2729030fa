import ArgumentParser
import SextantCore
import SextantStores

struct Projects: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and list projects (spyglass apps) in the database.",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a project and print its first ingest key.")

        @OptionGroup var options: ConfigurationOptions
        @Argument(help: "Project slug: letters, digits, - and _ (it is spyglass's `app`).")
        var slug: String
        @Option(help: "Organization id (default: the only organization, if there is one).")
        var org: String?
        @Option(help: "Display name (default: the slug).")
        var name: String?
        @Option(name: .customLong("origin"), help: "Allowed browser origin; repeat for several. None allows every origin.")
        var origins: [String] = []

        func run() async throws {
            guard ProjectSlug.isValid(slug) else { throw ValidationError("slug must be 1-64 characters of letters, digits, - and _") }
            try await StoreFactory.withStore(try options.resolve()) { store in
                let organizationID = try await resolveOrganization(org, store: store.tenancy)
                let project = try await store.tenancy.createProject(
                    slug: slug, organizationID: organizationID, name: name ?? slug, origins: origins, now: nowMilliseconds())
                let key = Secrets.newIngestKey()
                try await store.tenancy.addIngestKey(key, projectSlug: project.slug, source: .cli, now: nowMilliseconds())
                print("created project \(project.slug) in organization \(organizationID)")
                print("ingest key: \(key)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List projects with their organization and origins.")

        @OptionGroup var options: ConfigurationOptions

        func run() async throws {
            try await StoreFactory.withStore(try options.resolve()) { store in
                let projects = try await store.tenancy.projects()
                if projects.isEmpty { print("no projects yet") }
                for project in projects {
                    let origins = project.origins.isEmpty ? "any origin" : project.origins.joined(separator: ", ")
                    print("\(project.slug)\torg=\(project.organizationID)\t\(origins)")
                }
            }
        }
    }
}

/// The organization a command acts on: the named one, or the only one.
func resolveOrganization(_ requested: String?, store: any TenancyStore) async throws -> String {
    if let requested { return requested }
    let organizations = try await store.organizations()
    guard organizations.count == 1 else {
        throw ValidationError(organizations.isEmpty
            ? "no organization exists yet: start `sextant serve` once, or configure one"
            : "several organizations exist; name one with --org (\(organizations.map(\.id).joined(separator: ", ")))")
    }
    return organizations[0].id
}
