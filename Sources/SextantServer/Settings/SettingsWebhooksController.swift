import Hummingbird
import SextantCore

/// Webhooks from the dashboard, with a test delivery that reports the receiver's answer at once.
struct SettingsWebhooksController {
    let webhooks: any WebhookStore
    let transport: any WebhookTransport
    let clock: WallClock

    func register(in settings: RouterGroup<AppRequestContext>) {
        settings.get("/webhooks", use: list)
        settings.post("/webhooks", use: create)
        settings.delete("/webhooks/:id", use: delete)
        settings.post("/webhooks/:id/test", use: test)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let found = try await webhooks.webhooks(projectSlug: QueryParameters(request).string("app"))
        return .jsonObject { writer in
            writer.key("events")
            writer.beginArray()
            for event in AlertEvent.allCases { writer.string(event.rawValue) }
            writer.endArray()
            writer.key("webhooks")
            writer.beginArray()
            for hook in found {
                writer.beginObject()
                Self.write(hook, into: &writer)
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await SettingsBody.read(request)
        let app = try body.required("app")
        let url = try body.required("url")
        guard Webhook.isValidURL(url) else { throw APIError.badRequest("url must be an absolute http or https URL") }
        let named = try body.strings("events")
        let events = try named.map { text in
            guard let event = AlertEvent(rawValue: text) else {
                throw APIError.badRequest("unknown event \(text): use \(AlertEvent.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return event
        }
        let hook = try await SettingsRules.map {
            try await webhooks.addWebhook(
                projectSlug: app, url: url, events: events.isEmpty ? AlertEvent.allCases : events, source: .dashboard, now: clock.nowMilliseconds())
        }
        return .jsonObject(status: .created) { writer in Self.write(hook, into: &writer) }
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let hook = try await find(context)
        try SettingsRules.requireEditable(source: hook.source, what: "webhook")
        guard try await webhooks.deleteWebhook(id: hook.id) else { throw APIError.notFound("no webhook has that id") }
        return Response(status: .noContent)
    }

    /// Sends one test body now, outside the outbox, and answers with what the receiver said.
    @Sendable func test(_ request: Request, context: AppRequestContext) async throws -> Response {
        let hook = try await find(context)
        let body = AlertMessage.testBody(projectSlug: hook.projectSlug, now: clock.nowMilliseconds())
        do {
            try await transport.post(json: body, to: hook.url)
        } catch {
            throw APIError.plain(.badGateway, "the receiver did not accept the test: \(error)")
        }
        return .jsonObject { writer in
            writer.key("delivered"); writer.bool(true)
        }
    }

    private func find(_ context: AppRequestContext) async throws -> Webhook {
        guard let hook = try await webhooks.webhook(id: try context.parameters.require("id")) else { throw APIError.notFound("no webhook has that id") }
        return hook
    }

    static func write(_ hook: Webhook, into writer: inout JSONWriter) {
        writer.key("id"); writer.string(hook.id)
        writer.key("app"); writer.string(hook.projectSlug)
        writer.key("url"); writer.string(hook.url)
        writer.key("events")
        writer.beginArray()
        for event in hook.events { writer.string(event.rawValue) }
        writer.endArray()
        writer.key("source"); writer.string(hook.source)
        writer.key("created_at"); writer.integer(hook.createdAt)
    }
}
