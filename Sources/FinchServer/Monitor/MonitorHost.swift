import FinchApps
import Foundation
import Logging
import Synchronization

/// Every monitor of the server: their configurations, rules and webhooks in
/// the store; ingest through the registered models (FinchApps'
/// `MonitorService`: redacted, scored, tagged, stored with their bucket
/// counts before the caller is answered); live `document` and `alert`
/// events for SSE clients; alert webhooks; and the wall-clock closing of
/// buckets (`closeDueBuckets`, driven by `MonitorBucketCloser`).
public final class MonitorHost: Sendable {
    let repository: any MonitorRepository
    let webhooks: any WebhookRepository
    let registry: ModelRegistry
    let storedText: StoredTextRedaction
    /// The live events of every monitor.
    public let events: MonitorEventHub
    let dispatcher: WebhookDispatcher
    let logger: Logger
    /// Per monitor, the bucket start up to which buckets were last evaluated.
    private let evaluatedUpTo = Mutex<[String: Date]>([:])

    public init(
        repository: any MonitorRepository, webhooks: any WebhookRepository, registry: ModelRegistry, storedText: StoredTextRedaction,
        events: MonitorEventHub = MonitorEventHub(), dispatcher: WebhookDispatcher, logger: Logger
    ) {
        self.repository = repository
        self.webhooks = webhooks
        self.registry = registry
        self.storedText = storedText
        self.events = events
        self.dispatcher = dispatcher
        self.logger = logger
    }

    // MARK: monitors

    /// Validates `config` (its models must be registered: a classifier for
    /// sentiment and topic, a tagger) and stores it; true when it is new.
    public func put(_ config: MonitorConfig) async throws -> Bool {
        try config.validate()
        try requireModel(config.sentimentModel, kind: .classifier, field: "sentiment_model")
        if let topic = config.topicModel { try requireModel(topic, kind: .classifier, field: "topic_model") }
        if let tagger = config.tagger { try requireModel(tagger, kind: .tagger, field: "tagger") }
        let isNew = try await repository.monitor(name: config.name) == nil
        try await repository.putMonitor(config)
        return isNew
    }

    func requireModel(_ name: String, kind: ModelKind, field: String) throws {
        let model: ServedModel
        do { model = try registry.model(named: name) } catch {
            throw MonitorError.invalidConfig(field: field, reason: "no registered model is named '\(name)'")
        }
        guard model.kind == kind else {
            throw MonitorError.invalidConfig(field: field, reason: "model '\(name)' is a \(model.kind.rawValue), not a \(kind.rawValue)")
        }
    }

    /// The monitor named `name`.
    /// - Throws: `MonitorHostError.unknownMonitor`.
    public func monitor(named name: String) async throws -> MonitorConfig {
        guard let config = try await repository.monitor(name: name) else { throw MonitorHostError.unknownMonitor(name) }
        return config
    }

    public func all() async throws -> [MonitorConfig] { try await repository.allMonitors() }

    /// Deletes the monitor with everything of it (its webhooks' queues stop).
    public func delete(name: String) async throws {
        let hooks = try await webhooks.webhooks(monitor: name)
        guard try await repository.deleteMonitor(name: name) else { throw MonitorHostError.unknownMonitor(name) }
        for hook in hooks {
            _ = try await webhooks.deleteWebhook(id: hook.id, monitor: name)
            dispatcher.forget(webhook: hook.id)
        }
    }

    // MARK: documents

    /// The monitor at work (FinchApps): its pipeline over the registered models, the store, the alert engine.
    func service(for config: MonitorConfig) throws -> MonitorService {
        let pipeline = MonitorPipeline(
            config: config, sentiment: try registry.model(named: config.sentimentModel),
            topic: try config.topicModel.map { try registry.model(named: $0) },
            tagger: try config.tagger.map { try registry.model(named: $0) },
            redaction: storedText)
        return MonitorService(pipeline: pipeline, repository: repository)
    }

    /// Scores and stores `documents`; the answer (per document, whether it
    /// was new) comes after the commit. New documents are sent to the
    /// monitor's SSE clients.
    public func ingest(_ documents: [MonitorDocument], monitor name: String) async throws -> [IngestedDocument] {
        let config = try await monitor(named: name)
        let ingested = try await service(for: config).ingest(documents)
        // New documents may belong to closed buckets not evaluated yet (the first ones of a series): look at the next tick.
        if ingested.contains(where: \.isNew) { markChanged(name) }
        if events.subscriberCount(monitor: name) > 0 {
            for d in ingested where d.isNew {
                events.publish(MonitorEvent(name: "document", data: try MonitorEventBody.encode(d.document)), monitor: name)
            }
        }
        return ingested
    }

    public func documents(_ query: MonitorDocumentQuery, monitor name: String) async throws -> [ScoredDocument] {
        _ = try await monitor(named: name)
        return try await repository.documents(query, monitor: name)
    }

    /// The stored buckets the query selects (the monitor is not looked up).
    public func buckets(_ query: BucketQuery, monitor name: String) async throws -> [BucketAggregate] {
        try await repository.buckets(query, monitor: name)
    }

    // MARK: alerts

    /// Evaluates, for every monitor, the buckets that ended at least `grace`
    /// seconds before `now`; each alert opened or closed goes to the SSE
    /// clients, and each opened one to the monitor's webhooks.
    public func closeDueBuckets(now: Date, grace: Double) async {
        let monitors: [MonitorConfig]
        do { monitors = try await repository.allMonitors() } catch {
            logger.warning("monitors not read", metadata: ["error": .string(String(describing: error))])
            return
        }
        let upTo = now.addingTimeInterval(-grace)
        for config in monitors {
            // Nothing closed and nothing stored since the last evaluation: the engine would find no bucket to evaluate.
            let end = config.bucket.start(of: upTo)
            guard evaluatedUpTo.withLock({ $0[config.name] }) != end else { continue }
            evaluatedUpTo.withLock { $0[config.name] = end }
            do {
                let changed = try await AlertEngine(config: config, repository: repository).closeBuckets(upTo: upTo)
                if !changed.isEmpty { try await announce(changed.map(\.alert), monitor: config.name) }
            } catch {
                logger.warning(
                    "buckets not evaluated", metadata: ["monitor": .string(config.name), "error": .string(String(describing: error))])
            }
        }
    }

    /// Makes the next `closeDueBuckets` evaluate `monitor` even when no bucket closed since the last time.
    func markChanged(_ monitor: String) { _ = evaluatedUpTo.withLock { $0.removeValue(forKey: monitor) } }

    /// Sends alerts to SSE clients and (opened ones) to the webhooks.
    func announce(_ alerts: [Alert], monitor name: String) async throws {
        let hooks = try await webhooks.webhooks(monitor: name)
        for alert in alerts {
            let driving = try await drivingDocuments(of: alert)
            let body = try MonitorEventBody.encode(MonitorEventBody.AlertEvent(alert: alert, documents: driving))
            events.publish(MonitorEvent(name: "alert", data: body), monitor: name)
            if alert.state == .open && !hooks.isEmpty {
                let payload = try MonitorEventBody.encode(
                    MonitorEventBody.WebhookPayload(event: "alert", monitor: name, alert: alert, documents: driving))
                dispatcher.enqueue(.init(event: "alert", body: payload), to: hooks)
            }
        }
    }

    /// The stored documents an alert names, in its order.
    func drivingDocuments(of alert: Alert) async throws -> [ScoredDocument] {
        guard !alert.documents.isEmpty else { return [] }
        let found = try await repository.documents(MonitorDocumentQuery(ids: alert.documents), monitor: alert.monitor)
        let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return alert.documents.compactMap { byID[$0] }
    }

    /// Alerts with their driving documents.
    public func alerts(_ query: AlertQuery, monitor name: String) async throws -> [(alert: Alert, documents: [ScoredDocument])] {
        _ = try await monitor(named: name)
        var out: [(alert: Alert, documents: [ScoredDocument])] = []
        for alert in try await repository.alerts(query, monitor: name) { out.append((alert, try await drivingDocuments(of: alert))) }
        return out
    }

    // MARK: rules

    public func rules(monitor name: String) async throws -> [AlertRule] {
        _ = try await monitor(named: name)
        return try await repository.rules(monitor: name)
    }

    /// Validates and stores `rule`; true when it is new.
    public func putRule(_ rule: AlertRule, monitor name: String) async throws -> Bool {
        _ = try await monitor(named: name)
        try rule.validate()
        let isNew = try await !repository.rules(monitor: name).contains { $0.name == rule.name }
        try await repository.putRule(rule, monitor: name)
        markChanged(name)
        return isNew
    }

    public func deleteRule(name rule: String, monitor name: String) async throws {
        _ = try await monitor(named: name)
        guard try await repository.deleteRule(name: rule, monitor: name) else { throw MonitorHostError.unknownRule(rule) }
    }

    // MARK: webhooks

    /// Adds a webhook (an `http`/`https` URL and a non-empty secret).
    public func addWebhook(url: String, secret: String, monitor name: String, now: Date = Date()) async throws -> WebhookRecord {
        _ = try await monitor(named: name)
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
            parsed.host?.isEmpty == false
        else { throw MonitorHostError.invalidWebhook(field: "url", reason: "an http:// or https:// URL with a host") }
        guard !secret.isEmpty else { throw MonitorHostError.invalidWebhook(field: "secret", reason: "must not be empty") }
        let record = WebhookRecord(id: UUID().uuidString.lowercased(), monitor: name, url: url, secret: secret, createdAt: now)
        try await webhooks.insertWebhook(record)
        return record
    }

    public func webhooks(monitor name: String) async throws -> [WebhookRecord] {
        _ = try await monitor(named: name)
        return try await webhooks.webhooks(monitor: name)
    }

    public func deleteWebhook(id: String, monitor name: String) async throws {
        _ = try await monitor(named: name)
        guard try await webhooks.deleteWebhook(id: id, monitor: name) else { throw MonitorHostError.unknownWebhook(id) }
        dispatcher.forget(webhook: id)
    }

    public func deliveries(webhook id: String, monitor name: String, limit: Int) async throws -> [WebhookAttemptRecord] {
        guard try await webhooks(monitor: name).contains(where: { $0.id == id }) else { throw MonitorHostError.unknownWebhook(id) }
        return try await webhooks.attempts(webhook: id, limit: limit)
    }

    /// Stops the webhook workers and ends the SSE streams.
    public func shutdown() {
        dispatcher.shutdown()
        events.finishAll()
    }
}

/// A monitor, rule or webhook the request names does not exist, or a webhook field does not hold.
public enum MonitorHostError: Error, Equatable, CustomStringConvertible {
    case unknownMonitor(String)
    case unknownRule(String)
    case unknownWebhook(String)
    case invalidWebhook(field: String, reason: String)

    public var description: String {
        switch self {
        case .unknownMonitor(let name): "no monitor is named '\(name)'"
        case .unknownRule(let name): "the monitor has no rule named '\(name)'"
        case .unknownWebhook(let id): "the monitor has no webhook with id '\(id)'"
        case .invalidWebhook(let field, let reason): "webhook: field '\(field)': \(reason)"
        }
    }
}
