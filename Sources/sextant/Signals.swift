import ArgumentParser
import SextantCore
import SextantStores

struct Signals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage signals: saved conditions counted as data arrives (GET /api/v1/signals).",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a signal, or update the project's signal of that name.",
            discussion: """
                --match is a JSON object whose fields must all hold: source (events, logs or errors; default events), type, name,
                name_contains, url_contains, level, message_contains, props (exact values). Example:
                  sextant signals create --project shop --name "Checkout errors" --match '{"type":"error","url_contains":"/checkout"}'
                """)

        @OptionGroup var options: ConfigurationOptions
        @Option(help: "Project slug the signal watches.")
        var project: String
        @Option(help: "The signal's name, unique within its project.")
        var name: String
        @Option(help: "What the signal is about, in words.")
        var prompt: String?
        @Option(help: "The condition, as a JSON object.")
        var match: String

        func run() async throws {
            let condition: SignalMatch
            do {
                condition = try SignalMatch(jsonText: match)
            } catch {
                throw ValidationError("--match: \(error)")
            }
            try await StoreFactory.withStore(try options.resolve()) { store in
                let signal = try await store.signals.createSignal(projectSlug: project, name: name, prompt: prompt, match: condition, source: .cli, now: nowMilliseconds())
                print("signal \(signal.name) (\(signal.id)) in project \(signal.projectSlug) matches \(signal.match.jsonText)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List signals with their match counts.")

        @OptionGroup var options: ConfigurationOptions

        func run() async throws {
            try await StoreFactory.withStore(try options.resolve()) { store in
                let signals = try await store.signals.signals(organizationID: nil, after: nil, limit: 10_000).items
                if signals.isEmpty { print("no signals yet") }
                for signal in signals {
                    print("\(signal.projectSlug)/\(signal.name)\t\(signal.status.rawValue)\t\(signal.matchCount) matches\tlast \(formatTime(signal.lastMatchAt))\t\(signal.match.jsonText)")
                }
            }
        }
    }
}
