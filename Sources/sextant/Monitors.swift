import ArgumentParser
import SextantCore
import SextantStores

struct Monitors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage cron monitors: jobs that send heartbeats to /ingest/v1/heartbeat.",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a monitor; its id is printed.")

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "Project slug the monitor belongs to.")
        var project: String
        @Argument(help: "The monitor's slug, as the job sends it in its heartbeat.")
        var slug: String
        @Option(help: "A 5-field cron expression in UTC (\"0 3 * * *\") or an interval (\"5m\", \"2h\", \"1d\").")
        var schedule: String
        @Option(help: "Seconds a run may be late before the monitor counts it missed (default 300).")
        var grace: Int64 = 300

        func run() async throws {
            guard ProjectSlug.isValid(slug) else { throw ValidationError("slug must be 1-64 characters of letters, digits, - and _") }
            guard grace >= 0 else { throw ValidationError("grace must not be negative") }
            try await StoreFactory.withStore(try options.resolve()) { store in
                let monitor = try await store.monitors.create(projectSlug: project, slug: slug, schedule: schedule, graceSeconds: grace, source: .cli, now: nowMilliseconds())
                print("created monitor \(monitor.slug) (\(monitor.id)) in project \(monitor.projectSlug)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List monitors with their current status.")

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "Only this project's monitors.")
        var project: String?

        func run() async throws {
            try await StoreFactory.withStore(try options.resolve()) { store in
                let now = nowMilliseconds()
                let monitors = try await store.monitors.monitors(projectSlug: project)
                if monitors.isEmpty { print("no monitors yet") }
                for monitor in monitors {
                    let evaluation = monitor.evaluated(at: now)
                    print("\(monitor.projectSlug)/\(monitor.slug)\t\(monitor.schedule)\t\(evaluation.status.rawValue)\tlast ping \(formatTime(monitor.lastPingAt))\tnext \(formatTime(evaluation.nextExpectedAt))")
                }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a monitor and its heartbeats.")

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "Project slug.")
        var project: String
        @Argument(help: "The monitor's slug.")
        var slug: String

        func run() async throws {
            try await StoreFactory.withStore(try options.resolve()) { store in
                guard try await store.monitors.delete(projectSlug: project, slug: slug) else { throw ValidationError("no monitor \(slug) in \(project)") }
                print("deleted")
            }
        }
    }
}
