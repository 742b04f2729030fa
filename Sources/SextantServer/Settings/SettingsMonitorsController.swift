import Hummingbird
import SextantCore

/// Cron monitors from the dashboard: create, pause and resume, delete, and each one's run history
/// with the request its job sends.
struct SettingsMonitorsController {
    let monitors: any MonitorStore
    let clock: WallClock

    func register(in settings: RouterGroup<AppRequestContext>, reads: RouterGroup<AppRequestContext>) {
        reads.get("/monitors/:id", use: detail)
        settings.post("/monitors", use: create)
        settings.patch("/monitors/:id", use: update)
        settings.delete("/monitors/:id", use: delete)
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> Response {
        let monitor = try await find(context)
        let heartbeats = try await monitors.heartbeats(monitorID: monitor.id, limit: try QueryParameters(request).limit(default: 50, maximum: 500))
        let now = clock.nowMilliseconds()
        return .jsonObject { writer in
            writer.key("monitor")
            writer.beginObject()
            OperationsReadController.write(monitor: monitor, now: now, into: &writer)
            writer.endObject()
            writer.key("heartbeats")
            writer.beginArray()
            for heartbeat in heartbeats {
                writer.beginObject()
                writer.key("ts"); writer.integer(heartbeat.ts)
                writer.key("status"); writer.string(heartbeat.status.rawValue)
                writer.key("duration_ms")
                if let duration = heartbeat.durationMs { writer.number(duration) } else { writer.null() }
                writer.key("message"); writer.string(heartbeat.message)
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await SettingsBody.read(request)
        let app = try body.required("app")
        let slug = try body.required("slug")
        guard ProjectSlug.isValid(slug) else { throw APIError.badRequest("slug must be 1-64 characters of letters, digits, - and _") }
        let grace = try body.integer("grace_seconds") ?? 300
        guard (0...(30 * 86_400)).contains(grace) else { throw APIError.badRequest("grace_seconds must be between 0 and 2592000") }
        let schedule = try body.required("schedule")
        let now = clock.nowMilliseconds()
        let monitor = try await SettingsRules.map {
            try await monitors.create(projectSlug: app, slug: slug, schedule: schedule, graceSeconds: grace, source: .dashboard, now: now)
        }
        return .jsonObject(status: .created) { writer in OperationsReadController.write(monitor: monitor, now: now, into: &writer) }
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await SettingsBody.read(request)
        guard let paused = try body.bool("paused") else { throw APIError.badRequest("paused (true or false) is required") }
        let now = clock.nowMilliseconds()
        guard let monitor = try await monitors.setPaused(id: try context.parameters.require("id"), paused: paused, now: now) else { throw APIError.notFound("no monitor has that id") }
        return .jsonObject { writer in OperationsReadController.write(monitor: monitor, now: now, into: &writer) }
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let monitor = try await find(context)
        try SettingsRules.requireEditable(source: monitor.source, what: "monitor")
        guard try await monitors.delete(id: monitor.id) else { throw APIError.notFound("no monitor has that id") }
        return Response(status: .noContent)
    }

    private func find(_ context: AppRequestContext) async throws -> Monitor {
        guard let monitor = try await monitors.monitor(id: try context.parameters.require("id")) else { throw APIError.notFound("no monitor has that id") }
        return monitor
    }
}
