import FinchApps
import FinchText
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The one composition root: opens the store (SQLite in the data folder, or
/// PostgreSQL), registers the configured models, loads the active versions and
/// the collections, and wires the routes:
///
/// - public: `GET /healthz`, `GET /readyz` (and the dashboard's static files, `/`, `/dashboard/…`)
/// - read: inference (`/v1/embed`, `/v1/classify`, `/v1/entities`, `/v1/tokenize`, `/v1/rerank`,
///   `/v1/search`, `/v1/embeddings`, TEI's `/embed`, `/predict`, `/rerank`, `/tokenize`), listings, `/metrics`, `/v1/redact`
/// - read: the assistant's `/ask`, hand-offs and sessions, `/v1/feedback` listings, `/v1/jobs`, `/v1/explain`
/// - write: collections and their entries, assistant collections, `/v1/feedback`, `PUT /v1/users/{id}/consent` (read: its `GET`)
/// - admin: `/v1/models` registration, activation and retraining (a job: `/v1/jobs`), `/v1/keys`,
///   `DELETE /v1/users/{id}` (erasure), `/v1/audit` (the audit trail, recording every admin action)
/// - the sentiment monitors under `/v1/monitors` (read, write and admin routes: `MonitorController`)
///
/// `store` replaces the configured store (tests); `logSink` receives the JSON log lines; `routes` is
/// handed the finished route table (the OpenAPI contract test compares it with `openapi.yaml`);
/// `blas` is what start-up logs about OpenBLAS's core (this process's by default).
public func buildApplication(
    configuration: ServerConfiguration, store givenStore: (any ServiceStore)? = nil, logSink: JSONLogHandler.Sink? = nil,
    routes: (([Router<FinchRequestContext>.RouteDescription]) -> Void)? = nil, blas: BLASCoreReport = .current,
    monitorOptions: MonitorOptions = MonitorOptions()
) async throws -> some ApplicationProtocol {
    let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
    let sink = logSink ?? JSONLogHandler.standardError
    let logger = Logger(label: "finch.server") { label in JSONLogHandler(label: label, level: level, sink: sink) }
    ServerMetrics.bootstrap()
    blas.log(to: logger)
    let store: any ServiceStore
    if let givenStore { store = givenStore } else { store = try await StoreFactory.open(configuration, logger: logger) }
    let registry = ModelRegistry(store: store.models, options: configuration.batching, observer: BatcherMetrics())
    try await registerConfiguredModels(configuration.models, registry: registry, logger: logger)
    for failure in try await registry.loadActiveVersions() {
        logger.warning(
            "model not loaded",
            metadata: [
                "model": .string(failure.record.name), "version": .stringConvertible(failure.record.version),
                "error": .string(String(describing: failure.error)),
            ])
    }
    let storedText = StoredTextRedaction(redactor: configuration.redactStoredText ? try PIIRedactor.standard() : nil)
    logger.info("stored texts", metadata: ["pii_redaction": .string(storedText.isEnabled ? "on" : "off")])
    // Consent lookups, the admin audit trail and erasure tombstones: one instance each, handed to every feature.
    let privacy = UserPrivacyServices(
        repository: store.privacy, defaultConsent: configuration.defaultConsent,
        erasureKey: try await ErasureKey.key(for: configuration, store: store, logger: logger))
    // Every feature that stores data about end users registers its eraser here (DELETE /v1/users/{id} calls them all).
    let userDataErasers = UserDataErasers([AssistantSessionEraser(store: store.assistant), FeedbackEraser(store: store.feedback)])
    let collections = CollectionService(store: store.collections, registry: registry)
    try await collections.reload()
    let assistant = AssistantService(
        store: store.assistant, embedding: AssistantService.registryEmbedding(registry), storedText: storedText,
        consent: privacy.consent)
    try await assistant.reload()
    // Collections embedded by another version than the active one (activated while no service followed it) are redone,
    // and from now on another version of an embedder (activated, retrained, picked up from another instance) re-embeds its
    // collections.
    do {
        for name in try await assistant.reembedStaleCollections() {
            logger.info("assistant collection re-embedded with the active version of its embedder", metadata: ["collection": .string(name)])
        }
    } catch {
        logger.warning("assistant collections not checked against their embedders", metadata: ["error": .string(String(describing: error))])
    }
    assistant.followVersionSwaps(of: registry) { model, error in
        logger.warning("assistant re-embedding failed", metadata: ["model": .string(model), "error": .string(String(describing: error))])
    }
    let recommend = try await startRecommendService(
        configuration, store: store, registry: registry, storedText: storedText, consent: privacy.consent,
        erased: privacy.tombstones, logger: logger)
    if let recommend { userDataErasers.register(RecommendUserEraser(service: recommend)) }

    let limits = InputLimits(
        maxBodyBytes: configuration.maxBodyBytes, maxInputs: configuration.maxInputs,
        maxCharacters: configuration.maxCharacters)
    let keyCache = KeyCache(store: store.keys, ttl: configuration.reloadIntervalSeconds)
    let limiter = RateLimiter(perSecond: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst)
    let router = Router(context: FinchRequestContext.self)
    router.add(middleware: RequestLogMiddleware(maxBodyBytes: configuration.maxBodyBytes, logger: logger))
    let routeMethods = RouteMethods()
    router.add(middleware: MethodNotAllowedMiddleware(routes: routeMethods))

    let health = HealthController(store: store, registry: registry, expectedModels: configuration.models.map(\.name))
    health.addPublicRoutes(to: router)
    DashboardController<FinchRequestContext>().addRoutes(to: router)
    OpenAPIController<FinchRequestContext>().addRoutes(to: router)
    let inference = InferenceController(registry: registry, limits: limits)
    let models = ModelsController(registry: registry, limits: limits, audit: privacy.audit)
    let collectionRoutes = CollectionsController(collections: collections, limits: limits)
    let compatibility = CompatibilityController(registry: registry, limits: limits)
    let keys = KeysController(store: store.keys, cache: keyCache, limits: limits, audit: privacy.audit)
    let redaction = try RedactController.standard(limits: limits)
    let explain = ExplainController(explanations: ExplanationService(registry: registry), limits: limits)
    let assistantRoutes = AssistantController(assistant: assistant, limits: limits)
    let feedback = FeedbackController(
        service: FeedbackService(
            store: store.feedback, registry: registry, storedText: storedText, consent: privacy.consent, assistant: assistant),
        limits: limits)
    var retrainers: [any ModelRetrainer] = [
        FineTunedModelRetrainer(registry: registry, feedback: store.feedback, options: configuration.retrain),
        EmbedderRetrainer(registry: registry, feedback: store.feedback, assistant: assistant, options: configuration.retrain),
    ]
    if let settings = configuration.recommend.settings(dataDirectory: configuration.dataDirectory) {
        retrainers.append(
            RecommendRetrainer(
                settings: settings, repository: store.recommendEvents, registry: registry, erased: privacy.tombstones, service: recommend))
    }
    let runStore = try await ServiceRunStore.service(configuration, store: store)
    let recorded = retrainers.map { RunRecordingRetrainer.service($0, configuration, runs: runStore, registry: registry, logger: logger) }
    let retrainJobs = RetrainJobs(registry: registry, retrainers: recorded, audit: privacy.audit)
    let jobs = JobsController(jobs: retrainJobs, registry: registry)

    func auth(_ scope: APIKeyScope) -> AuthMiddleware { AuthMiddleware(scope: scope, keys: keyCache, limiter: limiter) }
    let readRoot = router.group().add(middleware: auth(.read))
    health.addReadRoutes(to: readRoot)
    compatibility.addRootRoutes(to: readRoot)
    let read = router.group("v1").add(middleware: auth(.read))
    inference.addRoutes(to: read)
    ImageClassifyController(registry: registry, limits: limits).addRoutes(to: read)
    redaction.addRoutes(to: read)
    explain.addRoutes(to: read)
    models.addReadRoutes(to: read)
    collectionRoutes.addReadRoutes(to: read)
    compatibility.addV1Routes(to: read)
    assistantRoutes.addReadRoutes(to: read)
    feedback.addReadRoutes(to: read)
    jobs.addReadRoutes(to: read)
    RunsController(runs: runStore).addReadRoutes(to: read)
    let write = router.group("v1").add(middleware: auth(.write))
    collectionRoutes.addWriteRoutes(to: write)
    assistantRoutes.addWriteRoutes(to: write)
    feedback.addWriteRoutes(to: write)
    let recommendRoutes = RecommendController(service: recommend, limits: limits)
    recommendRoutes.addReadRoutes(to: read)
    recommendRoutes.addWriteRoutes(to: write)
    let admin = router.group("v1").add(middleware: auth(.admin))
    models.addAdminRoutes(to: admin)
    jobs.addAdminRoutes(to: admin)
    keys.addAdminRoutes(to: admin)
    let consent = ConsentController(consent: privacy.consent, limits: limits)
    consent.addReadRoutes(to: read)
    consent.addWriteRoutes(to: write)
    UsersController(erasure: privacy.erasure(erasers: userDataErasers)).addAdminRoutes(to: admin)
    AuditController(audit: privacy.audit).addAdminRoutes(to: admin)
    let monitors = MonitorHost(
        repository: store.monitors, webhooks: store.webhooks, registry: registry, storedText: storedText,
        dispatcher: WebhookDispatcher(log: store.webhooks, policy: monitorOptions.retry, logger: logger), logger: logger)
    MonitorController(service: monitors, limits: limits, audit: privacy.audit, keepAliveSeconds: monitorOptions.keepAliveSeconds)
        .addRoutes(read: read, write: write, admin: admin)
    routeMethods.fill(router.routes)
    routes?(router.routes)

    var services: [any Service] = []
    if let every = configuration.recommend.retrainEvery, let model = configuration.recommend.model {
        services.append(RecommendRetrainSchedule(jobs: retrainJobs, model: model, interval: every, logger: logger))
    }
    let lifecycle = FinchLifecycleService(
        registry: registry, collections: collections, ownedStore: givenStore == nil ? store : nil,
        interval: configuration.reloadIntervalSeconds, logger: logger)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "finch"),
        services: [
            lifecycle, AssistantReloadService(assistant: assistant, interval: configuration.reloadIntervalSeconds, logger: logger),
            MonitorBucketCloser(monitors: monitors, options: monitorOptions),
            InstanceSyncService(
                recommend: recommend, privacy: store.privacy, interval: configuration.reloadIntervalSeconds, logger: logger),
        ] + services,
        logger: logger)
}

/// Registers each configured model unless its active version already serves that folder.
func registerConfiguredModels(_ specs: [ServerConfiguration.ModelSpec], registry: ModelRegistry, logger: Logger) async throws {
    let versions = try await registry.versions()
    for spec in specs {
        let path = URL(fileURLWithPath: spec.path).standardizedFileURL.path
        if versions.contains(where: { $0.name == spec.name && $0.active && $0.path == path }) { continue }
        let record = try await registry.register(name: spec.name, path: path)
        logger.info(
            "registered model",
            metadata: [
                "model": .string(spec.name), "version": .stringConvertible(record.version),
                "kind": .string(record.kind.rawValue),
            ])
    }
}
