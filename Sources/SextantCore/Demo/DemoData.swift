import Foundation
import Logging

/// Loads a living demo into an empty store (`sextant serve --demo`): organization `demo`, project
/// `shop` with two weeks of visits that make a funnel, errors that group into issues, logs, HTTP
/// telemetry, cron monitors, a signal, and replays from `ShopReplay` for the latest sessions.
public enum DemoData {
    public static let organization = "demo"
    public static let project = "shop"
    public static let ingestKey = "sx_pk_demo_shop_0000000000000000"
    public static let apiToken = "sx_api_demo_read_write_000000000000"

    /// Deterministic pseudo-randomness, so every demo looks the same.
    struct Dice {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }
        mutating func pick(_ count: Int) -> Int { Int(next() % UInt64(count)) }
    }

    /// Returns false when the demo project already exists (the data is loaded once).
    @discardableResult
    public static func load(into store: SextantStore, now: Int64) async throws -> Bool {
        if try await store.tenancy.project(slug: project) != nil { return false }
        try await store.tenancy.createOrganization(Organization(id: organization, name: "Demo"), now: now)
        let shop = try await store.tenancy.createProject(slug: project, organizationID: organization, name: "Demo shop", origins: ["*"], now: now)
        try await store.tenancy.addIngestKey(ingestKey, projectSlug: project, source: .cli, now: now)
        _ = try await store.tenancy.addAPIToken(apiToken, organizationID: organization, scopes: TokenScope.allCases, name: "demo", source: .cli, now: now)
        var checkout = SignalMatch()
        checkout.type = "error"
        checkout.urlContains = "/checkout"
        _ = try await store.signals.createSignal(projectSlug: project, name: "Checkout errors", prompt: "Errors on the checkout page", match: checkout, source: .cli, now: now)

        var dice = Dice(state: 42)
        let day: Int64 = 86_400_000
        var events: [IngestEvent] = []
        var batches: [IngestItem] = []
        var replays: [(session: String, user: String, start: Int64, variant: Int, moments: ShopReplay.Moments)] = []
        for index in 0..<90 {
            let user = "user-\(dice.pick(40) + 1)"
            let session = "demo-s\(index + 1)"
            let start = now - Int64(89 - index) * (14 * day / 90) - Int64(dice.pick(3_600_000))
            let visited = visit(session: session, user: user, start: start, dice: &dice)
            events += visited
            // Each visit comes from its own browser, as a real site's would.
            var batch = EventBatch(projectID: shop.id, receivedAt: now, events: visited)
            batch.userAgent = agents[dice.pick(agents.count)]
            batches.append(.events(batch))
            // The latest sessions are recorded, and so is every session with an error: an issue's
            // sample then always has a replay to watch.
            if index >= 80 || visited.contains(where: { $0.type == .error }) {
                replays.append((session, user, start, index, moments(of: visited, start: start)))
            }
        }
        _ = try await store.ingest.commit(batches)
        for replay in replays {
            try await storeReplay(
                replay.session, user: replay.user, start: replay.start, variant: replay.variant, moments: replay.moments, projectID: shop.id, store: store, now: now)
        }
        _ = try await store.ingest.commit([
            .userProperties(UserPropertyBatch(projectID: shop.id, updates: people(signingIn: events))),
            .logs(LogBatch(projectID: shop.id, receivedAt: now, records: logs(now: now, dice: &dice))),
            .httpRequests(HTTPRequestBatch(projectID: shop.id, receivedAt: now, requests: requests(now: now, dice: &dice))),
        ])
        try await monitors(store: store, now: now)
        try await runBackgroundPasses(store: store, now: now)
        return true
    }

    /// Runs, once and before the server answers, the passes whose results the demo shows: the
    /// replays' rage and dead clicks and the missed monitor's issue. Otherwise they would appear
    /// only after the services' first timers fired, and a first look (or a test) would miss them.
    static func runBackgroundPasses(store: SextantStore, now: Int64) async throws {
        let clock = WallClock { now }
        let logger = Logger(label: "sextant.demo")
        try await ReplayAnalyzer(store: store, clock: clock, logger: logger).analyzePending(since: now - 1)
        try await MonitorEvaluator(store: store.monitors, issues: store.issues, clock: clock, logger: logger).evaluateAll()
    }

    /// One visit: landing, products, maybe cart, checkout and purchase, sometimes an error.
    static func visit(session: String, user: String, start: Int64, dice: inout Dice) -> [IngestEvent] {
        var ts = start
        var out: [IngestEvent] = []
        func add(_ type: EventType, _ name: String, path: String, props: String? = nil) {
            ts += Int64(2_000 + dice.pick(20_000))
            out.append(IngestEvent(ts: ts, type: type, name: name, userID: user, sessionID: session, url: "https://shop.example.com\(path)", propsJSON: props))
        }
        add(.pageview, "/", path: "/")
        let product = ShopReplay.products[dice.pick(ShopReplay.products.count)]
        add(.event, "view_product", path: "/products", props: #"{"product":"\#(product.0)","price":\#(product.1)}"#)
        add(.network, "GET /api/products", path: "/products", props: #"{"status":200,"duration_ms":\#(40 + dice.pick(80))}"#)
        guard dice.chance(65) else { return out }
        add(.event, "add_to_cart", path: "/products", props: #"{"product":"\#(product.0)"}"#)
        add(.pageview, "/cart", path: "/cart")
        guard dice.chance(70) else { return out }
        add(.event, "checkout", path: "/checkout")
        if dice.chance(20) {
            add(.error, "TypeError", path: "/checkout", props: #"""
                {"release":"shop@1.4.\#(dice.pick(3))","environment":"production","browser":"\#(["Chrome", "Firefox", "Safari"][dice.pick(3)])","message":"Cannot read properties of undefined (reading 'total')","stack":"TypeError: Cannot read properties of undefined (reading 'total')\n    at computeTotals (https://shop.example.com/assets/checkout.3f9a1c.js:212:31)\n    at submitOrder (https://shop.example.com/assets/checkout.3f9a1c.js:88:12)\n    at HTMLButtonElement.onclick (https://shop.example.com/checkout:1:1)"}
                """#)
            return out
        }
        add(.network, "POST /api/orders", path: "/checkout", props: #"{"status":\#(dice.chance(8) ? 502 : 201),"duration_ms":\#(180 + dice.pick(400))}"#)
        if dice.chance(85) { add(.event, "purchase", path: "/checkout/done", props: #"{"product":"\#(product.0)","amount":\#(product.1)}"#) }
        if dice.chance(10) {
            add(.error, "PaymentDeclinedError", path: "/checkout", props: #"{"message":"Card declined for order 4411","stack":["at PaymentForm.submit (webpack:///src/payment.ts:57:9)","at async handleSubmit (webpack:///src/checkout.ts:31:5)"]}"#)
        }
        return out
    }

    /// When the visit reached each step the recording shows, from its events; it ends two seconds after the last one.
    static func moments(of visit: [IngestEvent], start: Int64) -> ShopReplay.Moments {
        func at(_ name: String) -> Int64? { visit.first { $0.name == name }.map { $0.ts - start } }
        var moments = ShopReplay.Moments()
        moments.product = at("view_product") ?? 600
        moments.addToCart = at("add_to_cart")
        moments.cart = at("/cart")
        moments.checkout = at("checkout")
        moments.pay = at("POST /api/orders") ?? visit.first { $0.type == .error && $0.name == "TypeError" }.map { $0.ts - start }
        moments.end = (visit.last?.ts ?? start + 13_000) - start + 2_000
        let viewed = visit.first { $0.name == "view_product" }?.propsJSON ?? ""
        moments.chosenProduct = ShopReplay.products.firstIndex { viewed.contains(#""product":"\#($0.0)""#) }
        return moments
    }

    static func storeReplay(
        _ session: String, user: String, start: Int64, variant: Int, moments: ShopReplay.Moments, projectID: Int64, store: SextantStore, now: Int64
    ) async throws {
        let json = JSONValue.array(ShopReplay.events(start: start, variant: variant, moments: moments)).jsonText
        let bytes = Array(json.utf8)
        let summary = try ReplayChunkInspector.inspect(bytes)
        let key = "replays/\(projectID)/demo/\(session)-1.json.gz"
        try await store.blobs.put(try GzipBody.compress(bytes), key: key)
        let chunk = ReplayChunkRecord(
            projectID: projectID, sessionID: session, seq: 1, ts: summary.firstTimestamp ?? start, endTs: summary.lastTimestamp ?? start,
            eventCount: summary.eventCount, byteSize: bytes.count, sha256: Secrets.sha256Hex(bytes: bytes), blobKey: key,
            fullSnapshotOffsets: summary.fullSnapshotOffsets, receivedAt: now)
        // Final, so the replay analyzer reads them at once and their frustrated clicks become issues.
        _ = try await store.ingest.commit([.replayChunk(chunk, SessionHint(userID: user, entryURL: "https://shop.example.com/", isFinal: true))])
    }

    static let agents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ]

    /// What the shop's SDK set on each customer (identify) at their first event.
    static func people(signingIn events: [IngestEvent]) -> [UserPropertyUpdate] {
        let plans = ["free", "plus", "pro"], countries = ["DE", "FR", "US", "GB", "NL"]
        var firstSeen: [String: Int64] = [:]
        for event in events { if let user = event.userID { firstSeen[user] = min(firstSeen[user] ?? .max, event.ts) } }
        return firstSeen.sorted { $0.key < $1.key }.map { user, ts in
            let number = Int(user.dropFirst("user-".count)) ?? 0
            return UserPropertyUpdate(
                userID: user, ts: ts,
                set: ["email": .string("customer\(number)@example.com"), "plan": .string(plans[number % 3]), "country": .string(countries[number % 5])],
                setOnce: ["first_referrer": .string(number % 2 == 0 ? "newsletter" : "search")])
        }
    }

    static func logs(now: Int64, dice: inout Dice) -> [LogRecord] {
        (0..<240).map { index in
            let ts = now - Int64(240 - index) * 600_000
            let roll = dice.pick(100)
            var record: LogRecord
            if roll < 6 {
                record = LogRecord(ts: ts, level: .error, message: "payment gateway timed out", source: "luminalog")
                record.errorJSON = #"{"type":"GatewayTimeout","message":"upstream payment gateway timed out after 10000 ms","stack_trace":["at chargeCard (payments/gateway.ts:77)","at processOrder (orders/service.ts:140)"]}"#
                record.errorText = "GatewayTimeout upstream payment gateway timed out after 10000 ms"
            } else if roll < 20 {
                record = LogRecord(ts: ts, level: .warn, message: "inventory low for SKU BP-\(100 + dice.pick(20))", source: "luminalog")
            } else {
                record = LogRecord(ts: ts, level: .info, message: "order \(5000 + index) handled in \(20 + dice.pick(200)) ms", source: "luminalog")
            }
            record.service = roll % 2 == 0 ? "orders" : "web"
            record.environment = "production"
            return record
        }
    }

    static func requests(now: Int64, dice: inout Dice) -> [HTTPRequestRecord] {
        let routes: [(String, String, Double)] = [("GET", "/api/products", 40), ("GET", "/api/products/\(17)", 25), ("POST", "/api/orders", 220), ("GET", "/api/cart", 30)]
        return (0..<600).map { index in
            let route = routes[dice.pick(routes.count)]
            let path = route.1.hasPrefix("/api/products/") ? "/api/products/\(1 + dice.pick(90))" : route.1
            let status = dice.chance(3) ? 500 : (route.0 == "POST" ? 201 : 200)
            return HTTPRequestRecord(
                ts: now - Int64(600 - index) * 60_000, direction: .inbound, method: route.0, host: "api.shop.example.com", path: path,
                statusCode: status, durationMs: route.2 * (0.5 + Double(dice.pick(100)) / 50))
        }
    }

    static func monitors(store: SextantStore, now: Int64) async throws {
        let created = now - 3 * 86_400_000
        let backup = try await store.monitors.create(projectSlug: project, slug: "nightly-backup", schedule: "0 3 * * *", graceSeconds: 900, source: .cli, now: created)
        _ = try await store.monitors.create(projectSlug: project, slug: "hourly-sync", schedule: "1h", graceSeconds: 300, source: .cli, now: created)
        var heartbeats: [IngestItem] = []
        for day in 0..<3 {
            let ts = (now / 86_400_000 - Int64(2 - day)) * 86_400_000 + 3 * 3_600_000 + 120_000
            guard ts <= now else { continue }
            let evaluation = MonitorEvaluation(status: .healthy, nextExpectedAt: ts + 86_400_000)
            heartbeats.append(.heartbeat(HeartbeatRecord(monitorID: backup.id, ts: ts, status: .success, durationMs: Double(40_000 + day * 1_500), message: "backup done", evaluation: evaluation)))
        }
        _ = try await store.ingest.commit(heartbeats)
    }
}
