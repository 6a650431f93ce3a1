import FinchApps
import FinchSupport
import FinchTrain
import Foundation
import Logging

/// A retrainer whose retrains are recorded in the run store as runs of kind
/// `retrain` (`finch retrain`, and `POST /v1/models/{name}/retrain` in the
/// service): the training stage's figures (`loss`) at each step as they come,
/// then how it ended — the new version's metrics and folder, or the error.
/// The store blocks: its start and end are recorded on a thread of their own
/// (`RunStoreThread`), and the steps, which a retrainer may report from the
/// cooperative pool, go in order through a serial dispatch queue that the end
/// waits for.
public struct RunRecordingRetrainer: ModelRetrainer {
    /// The retrainer that does the work.
    public let base: any ModelRetrainer
    let registry: ModelRegistry
    let begin: @Sendable (String) throws -> RunRecorder?
    let epochs: Int

    /// Wraps `base`. `begin` records the start of a retrain of the named model and returns its
    /// recorder (nil: this retrain is not recorded; a throw fails it); `epochs` turns a training
    /// step into an epoch (the step's fraction of the stage × epochs).
    public init(base: any ModelRetrainer, registry: ModelRegistry, epochs: Int, begin: @escaping @Sendable (String) throws -> RunRecorder?)
    {
        self.base = base
        self.registry = registry
        self.epochs = epochs
        self.begin = begin
    }

    public var kinds: Set<ModelKind> { base.kinds }

    public func retrain(model: String, progress: @escaping @Sendable (ProgressEvent) -> Void) async throws -> RetrainOutcome {
        let begin = begin
        guard let recorder = try await RunStoreThread.run({ try begin(model) }) else {
            return try await base.retrain(model: model, progress: progress)
        }
        let epochs = Double(epochs)
        let steps = DispatchQueue(label: "finch.retrain-run-\(recorder.id)")
        do {
            let outcome = try await base.retrain(model: model) { event in
                if event.stage == "train" {
                    let epoch = event.fractionDone * epochs
                    let points = event.metrics.keys.sorted().map {
                        RunMetricPoint(step: event.step, epoch: epoch, name: $0, value: event.metrics[$0]!)
                    }
                    steps.async { recorder.record(points) }
                }
                progress(event)
            }
            let version = try await registry.versions().first { $0.name == model && $0.version == outcome.newVersion }
            let artefacts = version.map { RunRecorder.artefacts(in: URL(fileURLWithPath: $0.path)) } ?? []
            try await RunStoreThread.run {
                steps.sync {}
                try recorder.finish(.finished, finalMetrics: outcome.newMetrics, artefacts: artefacts)
            }
            return outcome
        } catch {
            // The retrain's own error is the one to report; a store that also refuses adds nothing to it.
            let message = String(describing: error)
            _ = try? await RunStoreThread.run {
                steps.sync {}
                try recorder.finish(.failed, error: message)
            }
            throw error
        }
    }
}

extension RetrainOptions {
    /// The settings as a run's parameters.
    public var runParameters: [String: String] {
        [
            "margin": String(margin), "epochs": String(epochs), "learning_rate": String(learningRate), "batch_size": String(batchSize),
            "seed": String(seed), "replay_per_feedback": String(replayPerFeedback), "feedback_hold_out": String(feedbackHoldOutFraction),
        ]
    }

    /// The settings a retrain of a model of `kind` uses, as a run's parameters: an embedder's are
    /// the contrastive recipe's (nil kind: a model not known yet, recorded with the classifier's).
    public func runParameters(kind: ModelKind?) -> [String: String] {
        guard kind == .embedder else { return runParameters }
        let c = contrastive
        return runParameters.merging([
            "epochs": String(c.epochs), "learning_rate": String(c.learningRate), "batch_size": String(c.batchSize),
            "weight_decay": String(c.weightDecay), "warmup_ratio": String(c.warmupRatio),
            "loss": "MultipleNegativesRankingLoss(scale=\(c.scale))",
        ]) { $1 }
    }

    /// Epochs of a retrain of a model of `kind`.
    public func epochs(kind: ModelKind?) -> Int { kind == .embedder ? contrastive.epochs : epochs }
}

extension RunRecordingRetrainer {
    /// `retrainer` with its retrains recorded in the service's run store (`runs`: the database's on
    /// PostgreSQL, else the runs folder's). The database, or a folder set in the configuration, must
    /// open (the retrain fails otherwise); the default folder (`~/.finch/runs`) may be missing or
    /// read-only, and then the retrain runs unrecorded with a warning.
    static func service(
        _ retrainer: any ModelRetrainer, _ configuration: ServerConfiguration, runs: ServiceRunStore, registry: ModelRegistry,
        logger: Logger
    ) -> any ModelRetrainer {
        let chosen = runs.chosen
        let kind: ModelKind? = retrainer.kinds.contains(.embedder) ? .embedder : nil
        let parameters = configuration.retrain.runParameters(kind: kind)
        return RunRecordingRetrainer(base: retrainer, registry: registry, epochs: configuration.retrain.epochs(kind: kind)) { model in
            let store: any RunStore
            do {
                store = try runs.forWriting()
            } catch  where !chosen {
                logger.warning("retrain not recorded", metadata: ["model": .string(model), "error": .string(String(describing: error))])
                return nil
            }
            let start = RunStart(
                kind: "retrain", model: model, command: "POST /v1/models/\(model)/retrain",
                parameters: parameters.merging(["model": model]) { $1 })
            return try RunRecorder(store: store, start: start)
        }
    }
}
