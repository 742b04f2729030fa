import ArgumentParser
import Foundation
import Hummingbird
import SextantCore
import SextantServer
import SextantStores

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the collector: ingest, queries and the dashboard on one port.",
        discussion: """
            Flags override environment variables (SEXTANT_LISTEN, SEXTANT_DATA_DIR, SEXTANT_DASHBOARD_PASSWORD), \
            which override the configuration file. With no organization anywhere, a first start creates \
            organization "default", project "default", an ingest key and an API token, and prints them once.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @Option(name: .long, help: "Address to listen on, HOST:PORT (default 127.0.0.1:8080; env SEXTANT_LISTEN).")
    var listen: String?

    @Flag(name: .long, help: "Load demo data (project \"shop\": visits, replays, errors, logs, monitors) on the first start, to look around.")
    var demo = false

    func run() async throws {
        ProcessMemory.limitMallocArenas()
        ProcessMemory.fixMmapThreshold()
        let logger = makeLogger()
        let configuration = try options.resolve(listen: listen)
        var dependencies = ApplicationDependencies()
        dependencies.onFirstRun = { credentials in
            // Unbuffered: the key must reach a redirected log even if the server is killed later.
            FileHandle.standardOutput.write(Data("""
                First start: created organization "\(credentials.organizationID)" and project "\(credentials.projectSlug)".
                  ingest key: \(credentials.ingestKey)
                  API token:  \(credentials.apiToken)   (read:lucent write:issues; shown only now)

                """.utf8))
        }
        // A busy port fails before the store is opened (a first start would create and print credentials).
        try checkListenAddress(configuration)
        // The store lives as long as the server: on PostgreSQL its connection pool runs until then.
        try await StoreFactory.withStore(configuration, logger: logger) { store in
            var dependencies = dependencies
            dependencies.store = store
            if demo, try await DemoData.load(into: store, now: nowMilliseconds()) {
                FileHandle.standardOutput.write(Data("Demo data loaded: project \"\(DemoData.project)\", ingest key \(DemoData.ingestKey), API token \(DemoData.apiToken)\n".utf8))
            }
            let app = try await buildApplication(configuration: configuration, dependencies: dependencies, logger: logger)
            logger.info("sextant data in \(configuration.dataDirectory), listening on \(configuration.listen)")
            try await dependencies.drain.run(app, period: .seconds(configuration.shutdownDrainSeconds), logger: logger)
        }
    }
}
