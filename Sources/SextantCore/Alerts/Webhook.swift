import Foundation

/// A project's webhook: where its alerts go, and which of them (API.md §8).
public struct Webhook: Sendable, Equatable {
    public var id: String
    public var projectSlug: String
    public var url: String
    public var events: [AlertEvent]
    public var source: String
    public var createdAt: Int64

    public init(id: String, projectSlug: String, url: String, events: [AlertEvent], source: String, createdAt: Int64) {
        self.id = id
        self.projectSlug = projectSlug
        self.url = url
        self.events = events
        self.source = source
        self.createdAt = createdAt
    }

    /// Only absolute http and https receivers; anything else could never be delivered.
    public static func isValidURL(_ text: String) -> Bool {
        guard text.count <= 2048, !text.contains(where: \.isWhitespace), let url = URL(string: text),
              let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else { return false }
        return scheme == "http" || scheme == "https"
    }
}

/// Webhooks added in the dashboard; those of the configuration file are listed beside them.
public protocol WebhookStore: Sendable {
    func webhooks(projectSlug: String?) async throws -> [Webhook]
    func webhook(id: String) async throws -> Webhook?
    /// Adds a receiver to the project, or changes the events of the project's receiver at that URL.
    func addWebhook(projectSlug: String, url: String, events: [AlertEvent], source: RecordSource, now: Int64) async throws -> Webhook
    /// False when no webhook has that id.
    func deleteWebhook(id: String) async throws -> Bool
}
