import ArgumentParser
import Foundation
import Logging
import SextantCore
import SextantServer

@main
struct Sextant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sextant",
        abstract: "Self-hosted observability collector: session replay, analytics, logs, errors, HTTP telemetry and cron monitors.",
        subcommands: [Serve.self, Projects.self, Keys.self, Tokens.self, Monitors.self, Signals.self],
        defaultSubcommand: Serve.self
    )
}

/// Where the configuration comes from; shared by `serve` and the management commands, so they
/// all open the same database.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "YAML (or JSON) configuration file.")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite database and replay blobs (default ./sextant-data; env SEXTANT_DATA_DIR).")
    var dataDir: String?

    func resolve(listen: String? = nil) throws -> SextantConfiguration {
        try SextantConfiguration.load(
            file: config, environment: ProcessInfo.processInfo.environment, listen: listen, dataDirectory: dataDir)
    }
}

func makeLogger() -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return handler
    }
    return Logger(label: "sextant")
}

func nowMilliseconds() -> Int64 { WallClock.system.nowMilliseconds() }

func formatTime(_ ms: Int64?) -> String {
    guard let ms else { return "-" }
    return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
}
