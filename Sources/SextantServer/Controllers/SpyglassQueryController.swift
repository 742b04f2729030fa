import Hummingbird
import SextantCore

/// spyglass reads: events, users, sessions, funnel, aggregates (API.md §4).
struct SpyglassQueryController {
    let analytics: any AnalyticsStore

    func register(in router: RouterGroup<AppRequestContext>) {
        router.get("/query/events", use: events)
        router.get("/query/users", use: users)
        router.get("/query/sessions", use: sessions)
        router.get("/query/funnel", use: funnel)
        router.get("/query/aggregates", use: aggregates)
    }

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        var filter = EventFilter()
        filter.time = try query.timeFilter()
        filter.userID = query.string("user")
        filter.sessionID = query.string("session")
        filter.name = query.string("name")
        filter.nameContains = query.string("name_contains")
        if let text = query.string("prop") {
            guard let property = PropertyCondition(parsing: text) else {
                throw APIError.badRequest("prop must be key=value, the key letters, digits, _, - or $")
            }
            filter.property = property
        }
        if let type = query.string("type") {
            guard let parsed = EventType(rawValue: type) else {
                throw APIError.badRequest("type must be one of event, pageview, error, network, bug_report")
            }
            filter.type = parsed
        }
        filter.limit = try query.limit(default: 100, maximum: 500)
        let events = try await analytics.events(filter)
        return .jsonObject { writer in
            writer.key("events")
            writer.beginArray()
            for event in events { EventJSON.write(event, into: &writer) }
            writer.endArray()
        }
    }

    /// `app`, `user`, `limit`, and `from`/`to` for who was active then.
    static func listFilter(_ query: QueryParameters) throws -> ListFilter {
        let time = try query.timeFilter()
        var filter = ListFilter(projectSlug: time.projectSlug, userID: query.string("user"), limit: try query.limit(default: 100, maximum: 500),
                                from: time.from, to: time.to)
        filter.session = SessionConditions(
            hasReplay: try query.optionalFlag("has_replay"), hasErrors: try query.optionalFlag("has_errors"),
            minDurationMs: try query.integer("min_duration", in: 0...(365 * 86_400)).map { $0 * 1000 }, urlContains: query.string("url"),
            device: try query.string("device").map { text in
                guard let kind = DeviceInfo.Kind(rawValue: text) else { throw APIError.badRequest("device must be desktop, mobile or tablet") }
                return kind
            }, browser: query.string("browser"))
        return filter
    }

    @Sendable func users(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let users = try await analytics.users(try Self.listFilter(query))
        return .jsonObject { writer in
            writer.key("users")
            writer.beginArray()
            for user in users {
                writer.beginObject()
                writer.key("user_id"); writer.string(user.userID)
                writer.key("app"); writer.string(user.projectSlug)
                writer.key("first_seen"); writer.integer(user.firstSeen)
                writer.key("last_seen"); writer.integer(user.lastSeen)
                writer.key("session_count"); writer.integer(user.sessionCount)
                writer.key("properties"); writer.raw(user.propertiesJSON)
                writer.endObject()
            }
            writer.endArray()
        }
    }

    @Sendable func sessions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let sessions = try await analytics.sessions(try Self.listFilter(query))
        return .jsonObject { writer in
            writer.key("sessions")
            writer.beginArray()
            for session in sessions { EventJSON.write(session, into: &writer) }
            writer.endArray()
        }
    }

    @Sendable func funnel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let steps = query.list("steps")
        guard steps.count >= 2 else { throw APIError.badRequest("steps needs two or more comma-separated event names") }
        guard steps.count <= 20 else { throw APIError.badRequest("steps takes at most 20 event names") }
        var windowMs: Int64?
        if let window = try query.integer("window", in: WireRange.windowSeconds) {
            windowMs = window * 1000
        }
        var dropoff: FunnelDropoffQuery?
        if let step = try query.integer("dropoff", in: 1...Int64(steps.count - 1)) {
            dropoff = FunnelDropoffQuery(step: Int(step), offset: Int(try query.integer("offset", in: 0...1_000_000) ?? 0),
                                         limit: try query.limit(default: 100, maximum: 1000))
        }
        // The spyglass answer is exactly `{steps: [{name, count}]}`: step times only when asked for.
        let withTimes = try query.flag("times")
        let report = try await analytics.funnelReport(steps: steps, filter: try query.timeFilter(), windowMs: windowMs, dropoff: dropoff)
        return .jsonObject { writer in
            Self.write(funnel: steps, counts: report.counts, medians: withTimes ? report.medianMsToConvert : nil, into: &writer)
            if let dropoff {
                writer.key("dropoff")
                writer.beginObject()
                writer.key("step"); writer.integer(dropoff.step)
                writer.key("total"); writer.integer(report.dropoffTotal)
                writer.key("users"); writer.beginArray()
                for identity in report.dropoffIdentities { writer.string(identity) }
                writer.endArray()
                let next = dropoff.offset + report.dropoffIdentities.count
                writer.key("next_offset"); writer.integer(next < report.dropoffTotal ? Int64(next) : nil)
                writer.endObject()
            }
        }
    }

    static func write(funnel steps: [String], counts: [Int], medians: [Double?]? = nil, into writer: inout JSONWriter) {
        writer.key("steps")
        writer.beginArray()
        for (index, (name, count)) in zip(steps, counts).enumerated() {
            writer.beginObject()
            writer.key("name"); writer.string(name)
            writer.key("count"); writer.integer(count)
            if let medians { writer.key("median_ms_to_convert"); writer.number(medians[index]) }
            writer.endObject()
        }
        writer.endArray()
    }

    @Sendable func aggregates(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = QueryParameters(request)
        let result = try await analytics.aggregates(filter: try query.timeFilter(), limit: try query.limit(default: 10, maximum: 100))
        return .jsonObject { writer in Self.write(aggregates: result, into: &writer) }
    }

    static func write(aggregates result: Aggregates, into writer: inout JSONWriter) {
        func list(_ key: String, _ rows: [(String, Int)], label: String, into writer: inout JSONWriter) {
            writer.key(key)
            writer.beginArray()
            for (name, count) in rows {
                writer.beginObject()
                writer.key(label); writer.string(name)
                writer.key("count"); writer.integer(count)
                writer.endObject()
            }
            writer.endArray()
        }
        list("dau", result.dau.map { ($0.day, $0.count) }, label: "day", into: &writer)
        list("top_events", result.topEvents.map { ($0.name, $0.count) }, label: "name", into: &writer)
        list("top_pages", result.topPages.map { ($0.name, $0.count) }, label: "name", into: &writer)
        list("errors_by_day", result.errorsByDay.map { ($0.day, $0.count) }, label: "day", into: &writer)
        list("all_errors_by_day", result.allErrorsByDay.map { ($0.day, $0.count) }, label: "day", into: &writer)
    }
}

/// The JSON shapes of events and sessions, shared by every endpoint that returns them.
enum EventJSON {
    static func write(_ stored: StoredEvent, into writer: inout JSONWriter) {
        let event = stored.event
        writer.beginObject()
        writer.key("id"); writer.integer(stored.id)
        writer.key("ts"); writer.integer(event.ts)
        writer.key("app"); writer.string(stored.projectSlug)
        writer.key("type"); writer.string(event.type.rawValue)
        writer.key("name"); writer.string(event.name)
        writer.key("user_id"); writer.string(event.userID)
        writer.key("session_id"); writer.string(event.sessionID)
        writer.key("url"); writer.string(event.url)
        writer.key("props"); writer.raw(event.propsJSON)
        writer.endObject()
    }

    static func write(_ session: SessionSummary, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("session_id"); writer.string(session.sessionID)
        writer.key("app"); writer.string(session.projectSlug)
        writer.key("user_id"); writer.string(session.userID)
        writer.key("started_at"); writer.integer(session.startedAt)
        writer.key("last_seen"); writer.integer(session.lastSeen)
        writer.key("event_count"); writer.integer(session.eventCount)
        writer.key("error_count"); writer.integer(session.errorCount)
        writer.key("chunk_count"); writer.integer(session.chunkCount)
        writer.key("duration_ms"); writer.integer(session.durationMs)
        writer.key("entry_url"); writer.string(session.entryURL)
        writer.key("browser"); writer.string(session.device?.browser)
        writer.key("os"); writer.string(session.device?.os)
        writer.key("device"); writer.string(session.device?.device.rawValue)
        writer.endObject()
    }
}
