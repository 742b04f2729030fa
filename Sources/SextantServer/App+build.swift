import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import Prometheus
import SextantCore
import SextantStores
import ServiceLifecycle

/// Everything `buildApplication` may take from outside: tests pin the clock, the store and metrics.
public struct ApplicationDependencies: Sendable {
    public var clock: WallClock = .system
    /// Opened from the configuration when nil (the embedded store only: a PostgreSQL store is
    /// opened by `StoreFactory.withStore`, which keeps its pool running, and given here).
    public var store: SextantStore?
    public var metricsRegistry = PrometheusCollectorRegistry()
    /// Delivers alert webhooks; tests record them instead.
    public var webhooks: any WebhookTransport = URLSessionWebhookTransport()
    /// Shared by the router (healthz, `Connection: close`) and whoever runs the server.
    public var drain = ShutdownDrain()
    /// Called once when a first start created the default organization, key and token.
    public var onFirstRun: @Sendable (FirstRunCredentials) -> Void = { _ in }

    public init() {}
}

/// Throws when the configured address is taken, so a second server fails before it opens or
/// writes anything (`sextant serve` calls it before opening the store). Port 0 asks for any free
/// port (tests).
public func checkListenAddress(_ configuration: SextantConfiguration) throws {
    if configuration.listen.port != 0, !ListeningSocket.isFree(configuration.listen) {
        throw ConfigurationError("cannot listen on \(configuration.listen): the address is already in use")
    }
}

/// Builds the whole server: storage, tenancy, the batch writer and every route. `sextant serve`
/// and the tests both call this.
public func buildApplication(
    configuration: SextantConfiguration,
    dependencies: ApplicationDependencies = .init(),
    logger: Logger = Logger(label: "sextant")
) async throws -> some ApplicationProtocol {
    try checkListenAddress(configuration)
    let store: SextantStore
    if let given = dependencies.store { store = given } else { store = try await StoreFactory.open(configuration) }
    if let credentials = try await TenancyBootstrap.prepare(
        store: store, organizations: configuration.organizations, now: dependencies.clock.nowMilliseconds()) {
        dependencies.onFirstRun(credentials)
    }
    if configuration.dashboardPassword == nil, !configuration.listen.isLoopback {
        logger.warning("no dashboard password is set and the server listens on \(configuration.listen): reads and the dashboard are open to anyone who can reach it")
    }
    let metricsFactory = PrometheusMetricsFactory(registry: dependencies.metricsRegistry)
    let disk = DiskSpaceGuard(path: configuration.dataDirectory, settings: configuration.storage, logger: logger)
    let writer = BatchWriter(store: store.ingest, settings: configuration.writer, disk: disk, logger: logger, metrics: metricsFactory)
    let timers = configuration.background
    // Monitor evaluation, retention, replay analysis, digests and alert delivery run on one node
    // at a time, whichever holds the work's lease in the shared database.
    let leases = LeaseKeeper(store: store.leases, clock: dependencies.clock, logger: logger)
    let evaluator = MonitorEvaluator(
        store: store.monitors, issues: store.issues, clock: dependencies.clock, interval: .seconds(timers.monitorIntervalSeconds), logger: logger,
        leases: leases)
    let retention = RetentionService(
        store: store, clock: dependencies.clock, interval: .seconds(timers.retentionIntervalSeconds), logger: logger, leases: leases)
    let analyzers: [any Service] = [
        ReplayAnalyzer(
            store: store, clock: dependencies.clock, quietPeriod: .seconds(timers.replayQuietSeconds),
            interval: .seconds(timers.replayAnalysisIntervalSeconds), logger: logger, leases: leases),
        InsightService(store: store, clock: dependencies.clock, interval: .seconds(timers.insightIntervalSeconds), logger: logger, leases: leases),
        AlertDispatcher(
            store: store.alerts, transport: dependencies.webhooks, clock: dependencies.clock, interval: .seconds(timers.alertIntervalSeconds),
            logger: logger, leases: leases),
    ]
    let router = buildRouter(
        configuration: configuration, store: store, writer: writer, disk: disk, dependencies: dependencies, metrics: metricsFactory)
    let limits = configuration.limits
    let (header, body, idle) = (
        TimeAmount(seconds: limits.headerTimeoutSeconds), TimeAmount(seconds: limits.bodyTimeoutSeconds), TimeAmount(seconds: limits.idleTimeoutSeconds)
    )
    return Application(
        router: HeadAsGet(inner: router),
        server: .http1(configuration: .init(
            additionalChannelHandlers: [RequestDeadlineHandler(headerTimeout: header, bodyTimeout: body, idleAllowance: idle)],
            idleTimeout: idle)),
        configuration: .init(
            address: .hostname(configuration.listen.host, port: configuration.listen.port), serverName: "sextant",
            availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
        services: store.services + [disk, writer, leases, evaluator, retention, MemoryTrimmer(logger: logger)] + analyzers,
        onServerRunning: { _ in ListeningSocket.closeOnExecEverything() },
        logger: logger
    )
}

func buildRouter(
    configuration: SextantConfiguration, store: SextantStore, writer: BatchWriter, disk: DiskSpaceGuard,
    dependencies: ApplicationDependencies, metrics factory: PrometheusMetricsFactory
) -> Router<AppRequestContext> {
    let metrics = ServerMetrics(factory: factory)
    let publicBase = PublicBase(configured: configuration.publicURL)
    let gate = DashboardGate(password: configuration.dashboardPassword)
    let dashboard = DashboardController(gate: gate)
    let routes = RouteTable()
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ResponseEnvelopeMiddleware(routes: routes, dashboard: dashboard, metrics: metrics))
    router.add(middleware: DrainMiddleware(drain: dependencies.drain))
    router.add(middleware: InFlightBytesMiddleware(
        budget: InFlightBytes(capacity: configuration.limits.maxInFlightBytes), maxBodyBytes: configuration.limits.maxBodyBytes))

    SystemController(
        registry: dependencies.metricsRegistry, disk: disk, drain: dependencies.drain,
        backends: BackendHealth(database: store.database, blobs: store.blobs, clock: dependencies.clock)
    ).register(in: router)
    dashboard.register(in: router)

    let authenticator = IngestAuthenticator(store: store.tenancy)
    let bodyReader = RequestBodyReader(limits: configuration.limits)
    let replay = ReplayChunkIngestor(blobs: store.blobs, writer: writer, clock: dependencies.clock)
    let admission = IngestAdmission(limiter: RateLimiter(clock: dependencies.clock))
    SpyglassIngestController(
        authenticator: authenticator, bodyReader: bodyReader, writer: writer, replay: replay, admission: admission, metrics: metrics,
        clock: dependencies.clock
    ).register(in: router)
    LucentIngestController(authenticator: authenticator, bodyReader: bodyReader, replay: replay, admission: admission, metrics: metrics)
        .register(in: router)
    SeeStackController(
        authenticator: authenticator, bodyReader: bodyReader, writer: writer, replay: replay, admission: admission, metrics: metrics,
        analytics: store.analytics, monitors: store.monitors, clock: dependencies.clock
    ).register(in: router)
    SentryController(
        authenticator: authenticator, bodyReader: bodyReader, writer: writer, replay: replay, blobs: store.blobs, admission: admission,
        metrics: metrics, monitors: store.monitors, clock: dependencies.clock, logger: Logger(label: "sextant.sentry")
    ).register(in: router)
    PostHogController(
        authenticator: authenticator, bodyReader: bodyReader, writer: writer, replay: replay, admission: admission, metrics: metrics,
        clock: dependencies.clock
    ).register(in: router)

    let reads = router.group("/v1").add(middleware: DashboardAuthMiddleware(gate: gate)).add(middleware: CrossSiteGuard())
    SpyglassQueryController(analytics: store.analytics).register(in: reads)
    AnalyticsQueryController(analytics: store.analytics, clock: dependencies.clock).register(in: reads)
    ReplayReadController(analytics: store.analytics, blobs: store.blobs).register(in: reads)
    let otlp = OTLPController(
        authenticator: authenticator, bodyReader: bodyReader, writer: writer, admission: admission, metrics: metrics, clock: dependencies.clock)
    otlp.register(in: router)
    LuminaLogController(
        authenticator: authenticator, bodyReader: bodyReader, writer: writer, admission: admission, metrics: metrics, logs: store.logs,
        clock: dependencies.clock, otlp: otlp
    ).register(in: router, reads: reads)
    MetricsReadController(telemetry: store.telemetry, clock: dependencies.clock).register(in: reads)
    OperationsReadController(monitors: store.monitors, telemetry: store.telemetry, clock: dependencies.clock).register(in: reads)
    TraceReadController(telemetry: store.telemetry, analytics: store.analytics, logs: store.logs).register(in: reads)
    AttachmentReadController(analytics: store.analytics, blobs: store.blobs).register(in: reads)

    DashboardIssuesController(
        issues: store.issues, insights: store.insights, signals: store.signals, analytics: store.analytics, clock: dependencies.clock,
        publicBase: publicBase
    ).register(in: reads)
    let settings = reads.group("/settings")
    SettingsProjectsController(tenancy: store.tenancy, clock: dependencies.clock, publicBase: publicBase).register(in: settings)
    SettingsTokensController(tenancy: store.tenancy, clock: dependencies.clock).register(in: settings)
    SettingsMonitorsController(monitors: store.monitors, clock: dependencies.clock).register(in: settings, reads: reads)
    SettingsSignalsController(signals: store.signals, clock: dependencies.clock).register(in: settings)
    SettingsWebhooksController(webhooks: store.webhooks, transport: dependencies.webhooks, clock: dependencies.clock).register(in: settings)
    // One guard, so a token's rate limit counts every Data API route.
    let dataAPIGuard = DataAPIGuard(tenancy: store.tenancy, windows: store.requestWindows, clock: dependencies.clock)
    DataAPIController(
        guardian: dataAPIGuard, issues: store.issues, signals: store.signals,
        insights: store.insights, analytics: store.analytics, clock: dependencies.clock, publicBase: publicBase
    ).register(in: router)
    FeatureFlagsController(guardian: dataAPIGuard).register(in: router)
    let toolContext = MCPToolContext(
        tenancy: store.tenancy, issues: store.issues, signals: store.signals, insights: store.insights, analytics: store.analytics,
        logs: store.logs, monitors: store.monitors, telemetry: store.telemetry, clock: dependencies.clock)
    MCPController(
        guardian: dataAPIGuard, bodyReader: bodyReader, sessions: MCPSessions(), tools: MCPToolCatalog.tools(toolContext),
        publicBase: publicBase, logger: Logger(label: "sextant.mcp")
    ).register(in: router)
    let authority = OAuthAuthority(store: store.oauth, clock: dependencies.clock)
    OAuthController(
        authority: authority, consent: ConsentPage(authority: authority, gate: gate, tenancy: store.tenancy), publicBase: publicBase
    ).register(in: router)

    routes.load(router.routes.map { (path: $0.path.description, method: $0.method) })
    return router
}
