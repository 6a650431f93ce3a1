import FinchRecommend
import FinchSupport
import FinchTrain
import Foundation

/// Retrains recommenders from the store's events (`finch recommend retrain`,
/// `POST /v1/models/{name}/retrain`): rebuilds the model with the active
/// version's algorithm and hyperparameters from every stored event (erased
/// users' skipped), compares old and new on a time-based hold-out
/// (`RecommendRetraining.compare`), registers the new version, and activates
/// it only when the guard passes. The serving state then reloads from the new
/// version and folds in the events that arrived during training.
public struct RecommendRetrainer: ModelRetrainer {
    public var kinds: Set<ModelKind> { [.recommender] }
    let settings: RecommendSettings
    let repository: any RecommendEventRepository
    let registry: ModelRegistry
    let erased: (any ErasureTombstones)?
    let service: RecommendService?

    /// A retrainer; `service` (when given) is reloaded after an activation.
    public init(
        settings: RecommendSettings, repository: any RecommendEventRepository, registry: ModelRegistry,
        erased: (any ErasureTombstones)? = nil, service: RecommendService? = nil
    ) {
        self.settings = settings
        self.repository = repository
        self.registry = registry
        self.erased = erased
        self.service = service
    }

    public func retrain(model name: String, progress: @escaping @Sendable (ProgressEvent) -> Void) async throws -> RetrainOutcome {
        let start = Date()
        func report(_ stage: String, _ step: Int, _ metrics: [String: Double] = [:]) {
            progress(
                ProgressEvent(stage: stage, step: step, stepCount: 4, elapsedSeconds: Date().timeIntervalSince(start), metrics: metrics))
        }
        let served = try registry.model(named: name)
        guard served.kind == .recommender else { throw RegistryError.wrongKind(name: name, kind: served.kind, expected: "a recommender") }
        let folder = URL(fileURLWithPath: served.record.path)
        let old = try RecommenderModel.load(from: folder)
        let through = try TrainedThrough.read(folder: folder).sequence
        report("reading events", 0)
        let last = try await repository.lastEventSequence()
        let stored = try await repository.events(after: 0)
        let gone = try await erased?.erasedUsers(among: Set(stored.map(\.user))) ?? []
        let events = stored.filter { e in
            e.sequence <= last && !gone.contains(e.user)
                && RecommendServingState.check(
                    InteractionEvent(user: e.user, item: e.item, type: e.type, value: Float(e.value), time: e.time), model: old,
                    settings: settings) == nil
        }
        func unchanged(_ reason: String) -> RetrainOutcome {
            RetrainOutcome(
                model: name, newVersion: nil, previousVersion: served.version, activated: false, reason: reason, previousMetrics: [:],
                newMetrics: [:])
        }
        guard events.contains(where: { $0.sequence > through }) else {
            return unchanged("no stored events since version \(served.version) was trained")
        }
        report("evaluating", 1)
        let comparison: RecommendRetraining.Comparison
        do {
            comparison = try RecommendRetraining.compare(old: old, through: through, events: events, settings: settings)
        } catch RecommendError.invalidSplit(let reason) {
            return unchanged(reason)
        }
        report("training", 2, comparison.new)
        let data = try RecommendRetraining.dataset(
            events, feedback: old.feedback, ratingScale: old.ratingScale, weights: settings.eventWeights)
        let stamp = Int(Date().timeIntervalSince1970)
        let out = URL(fileURLWithPath: settings.modelsDirectory)
            .appendingPathComponent("\(name)-\(stamp)-\(UUID().uuidString.prefix(8).lowercased())")
        try RecommendRetraining.buildAndSave(
            data, old: old, oldFolder: folder, items: try await repository.allItems(), settings: settings, to: out)
        try TrainedThrough(sequence: last).write(folder: out)
        let run = TrainingRunRecord(
            task: "recommendation", command: "finch recommend retrain --model \(name) (retrain of version \(served.version))",
            settings: ["retrained_from_version": String(served.version), "events": String(events.count)],
            evaluationData: "each user's latest events that version \(served.version) was not trained on", metrics: comparison.new,
            seconds: Date().timeIntervalSince(start), finchVersion: FinchVersion.string)
        try ModelCardWriter.write(folder: out, run: run, finchVersion: FinchVersion.string)
        report("registering", 3)
        let record = try await registry.register(name: name, path: out.path, activate: comparison.passed)
        if comparison.passed, let service, service.settings.model == name { try await service.load() }
        report("done", 4, comparison.new)
        return RetrainOutcome(
            model: name, newVersion: record.version, previousVersion: served.version, activated: comparison.passed,
            reason: comparison.reason, previousMetrics: comparison.old, newMetrics: comparison.new)
    }
}
