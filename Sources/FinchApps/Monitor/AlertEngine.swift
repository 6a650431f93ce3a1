import Foundation

/// An alert the engine opened or closed.
public enum AlertEvent: Sendable, Equatable {
    case opened(Alert)
    case closed(Alert)

    public var alert: Alert {
        switch self {
        case .opened(let a), .closed(let a): a
        }
    }
}

/// Evaluates a monitor's rules on buckets once they close. The caller says
/// when buckets close: replay by stream time, the service by wall clock.
/// State lives in the repository (one `DetectorState` per rule and entity,
/// plus one per `*` rule under entity `*` that remembers how far it has
/// looked for entities), so any instance can continue where another stopped.
public struct AlertEngine: Sendable {
    public let config: MonitorConfig
    public let repository: any MonitorRepository
    /// Documents an alert keeps (most negative first, then most recent).
    public var documentsPerAlert: Int

    public init(config: MonitorConfig, repository: any MonitorRepository, documentsPerAlert: Int = 5) {
        self.config = config
        self.repository = repository
        self.documentsPerAlert = documentsPerAlert
    }

    /// Evaluates every bucket that ended at or before `clock` and was not
    /// evaluated yet, for every rule and entity series, oldest bucket first;
    /// returns the alerts opened and closed, in that order.
    public func closeBuckets(upTo clock: Date) async throws -> [AlertEvent] {
        let width = config.bucket
        let end = width.start(of: clock)  // buckets starting before this have closed
        var events: [AlertEvent] = []
        for rule in try await repository.rules(monitor: config.name) {
            for entity in try await entities(for: rule, before: end) {
                events += try await evaluate(rule: rule, entity: entity, before: end)
            }
        }
        return events
    }

    /// The entity series `rule` covers that may have buckets to evaluate before `end`.
    func entities(for rule: AlertRule, before end: Date) async throws -> [String] {
        guard rule.entity == AlertRule.everyEntity else { return [rule.entity] }
        let key = DetectorKey(monitor: config.name, rule: rule.name, entity: AlertRule.everyEntity)
        var scan = try await repository.detectorState(key) ?? DetectorState(rule: rule)
        let from = scan.lastBucket.map(config.bucket.next(after:))
        if let from, from >= end { return config.watchlist.entities.map(\.name) }
        let seen = try await repository.buckets(BucketQuery(kind: .entity, from: from, to: end), monitor: config.name).map(\.key.name)
        scan.rule = rule
        scan.lastBucket = end.addingTimeInterval(-Double(config.bucket.seconds))
        try await repository.putDetectorState(scan, key: key)
        return Array(Set(seen).union(config.watchlist.entities.map(\.name))).sorted()
    }

    /// Runs one rule over one entity's unevaluated closed buckets.
    func evaluate(rule: AlertRule, entity: String, before end: Date) async throws -> [AlertEvent] {
        let width = config.bucket
        let key = DetectorKey(monitor: config.name, rule: rule.name, entity: entity)
        let stored = try await repository.detectorState(key)
        let from = stored?.lastBucket.map(width.next(after:))
        if let from, from >= end { return [] }
        let aggregates = try await repository.buckets(BucketQuery(kind: .entity, name: entity, from: from, to: end), monitor: config.name)
        guard let first = from ?? aggregates.first?.key.start else { return [] }
        var state = stored ?? DetectorState(rule: rule)
        if state.rule != rule {
            // An edited rule learns again from here; its open alert and cooldown carry over.
            var fresh = DetectorState(rule: rule)
            fresh.lastBucket = state.lastBucket
            fresh.lastAlertBucket = state.lastAlertBucket
            fresh.openAlert = state.openAlert
            state = fresh
        }
        let byStart = Dictionary(aggregates.map { ($0.key.start, $0) }, uniquingKeysWith: { a, _ in a })
        var events: [AlertEvent] = []
        var t = first
        while t < end {
            let observation = BucketObservation(byStart[t], start: t, metric: rule.metric)
            if let outcome = Detector.step(observation, state: &state, width: width) {
                if let open = state.openAlert {
                    if outcome.normal {
                        if try await repository.closeAlert(id: open, monitor: config.name, bucket: t),
                            let closed = try await repository.alerts(AlertQuery(rule: rule.name, entity: entity), monitor: config.name)
                                .first(where: { $0.id == open })
                        {
                            events.append(.closed(closed))
                        }
                        state.openAlert = nil
                    }
                } else if outcome.alarming, !inCooldown(state, at: t, rule: rule) {
                    let alert = try await makeAlert(rule: rule, entity: entity, observation: observation, outcome: outcome, clock: end)
                    if try await repository.insertAlert(alert) { events.append(.opened(alert)) }
                    state.openAlert = alert.id
                    state.lastAlertBucket = t
                }
            }
            state.lastBucket = t
            t = width.next(after: t)
        }
        try await repository.putDetectorState(state, key: key)
        return events
    }

    /// Whether `t` is within `cooldown` buckets after the last alert's bucket.
    func inCooldown(_ state: DetectorState, at t: Date, rule: AlertRule) -> Bool {
        guard let last = state.lastAlertBucket else { return false }
        return t.timeIntervalSince(last) <= Double(rule.cooldown * config.bucket.seconds)
    }

    func makeAlert(rule: AlertRule, entity: String, observation: BucketObservation, outcome: DetectorOutcome, clock: Date) async throws
        -> Alert
    {
        let docs = try await repository.documents(
            MonitorDocumentQuery(entity: entity, from: observation.start, to: config.bucket.next(after: observation.start)),
            monitor: config.name)
        let top = docs.sorted(by: Self.drivingFirst).prefix(documentsPerAlert).map(\.id)
        return Alert(
            id: Alert.id(monitor: config.name, rule: rule.name, entity: entity, bucketStart: observation.start), monitor: config.name,
            rule: rule.name, entity: entity, metric: rule.metric, detector: rule.detector, bucketStart: observation.start,
            value: observation.value, baseline: outcome.baseline, score: outcome.score, count: observation.count, openedAt: clock,
            documents: Array(top))
    }

    /// Most negative first (lowest sentiment score), then most recent, then by id.
    static func drivingFirst(_ a: ScoredDocument, _ b: ScoredDocument) -> Bool {
        if a.sentimentScore != b.sentimentScore { return a.sentimentScore < b.sentimentScore }
        if a.time != b.time { return a.time > b.time }
        return a.id < b.id
    }
}
