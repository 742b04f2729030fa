import Hummingbird
import SextantCore

/// Signals from the dashboard: a saved condition, counted on every batch from the moment it exists.
struct SettingsSignalsController {
    let signals: any SignalStore
    let clock: WallClock

    func register(in settings: RouterGroup<AppRequestContext>) {
        settings.get("/signals", use: list)
        settings.post("/signals", use: create)
        settings.delete("/signals/:id", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let found = try await signals.signals(organizationID: nil, after: nil, limit: 1000).items
        return .jsonObject { writer in
            writer.key("signals")
            writer.beginArray()
            for signal in found {
                writer.beginObject()
                Self.write(signal, into: &writer)
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await SettingsBody.read(request)
        let app = try body.required("app")
        let name = try body.required("name")
        guard name.count <= 200 else { throw APIError.badRequest("name must be at most 200 characters") }
        guard let matchValue = body.json["match"], matchValue.objectValue != nil else { throw APIError.badRequest("match must be a JSON object") }
        let match: SignalMatch
        do {
            match = try SignalMatch(jsonText: matchValue.jsonText)
        } catch {
            throw APIError.badRequest("match: \(error)")
        }
        let signal = try await SettingsRules.map {
            try await signals.createSignal(
                projectSlug: app, name: name, prompt: try body.string("prompt"), match: match, source: .dashboard, now: clock.nowMilliseconds())
        }
        return .jsonObject(status: .created) { writer in Self.write(signal, into: &writer) }
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let signal = try await signals.signals(organizationID: nil, after: nil, limit: 1000).items.first(where: { $0.id == id }) else {
            throw APIError.notFound("no signal has that id")
        }
        try SettingsRules.requireEditable(source: signal.source, what: "signal")
        guard try await signals.deleteSignal(id: id) else { throw APIError.notFound("no signal has that id") }
        return Response(status: .noContent)
    }

    static func write(_ signal: Signal, into writer: inout JSONWriter) {
        writer.key("id"); writer.string(signal.id)
        writer.key("app"); writer.string(signal.projectSlug)
        writer.key("name"); writer.string(signal.name)
        writer.key("prompt"); writer.string(signal.prompt)
        writer.key("status"); writer.string(signal.status.rawValue)
        writer.key("match"); writer.value((try? JSONValue.parse(signal.match.jsonText)) ?? .null)
        writer.key("match_count"); writer.integer(signal.matchCount)
        writer.key("last_match_at"); writer.integer(signal.lastMatchAt)
        writer.key("source"); writer.string(signal.source)
        writer.key("created_at"); writer.integer(signal.createdAt)
    }
}
