import Foundation

/// What a run is when it starts: what it trains, how, on which data, in which process.
public struct RunStart: Sendable, Equatable {
    /// What kind of run: `train-classify`, `train-ner`, `train-image`, `retrain`, `tune` (a study), `tune-trial`, `distill`.
    public var kind: String
    /// The model trained: the base model fine-tuned, the architecture trained from scratch, or the
    /// registered model retrained.
    public var model: String
    /// The command line (or the job) that started it.
    public var command: String
    /// Where the run writes, nil when it has no folder of its own.
    public var outputDirectory: String?
    /// The training configuration and the command's other settings (name → value as text).
    public var parameters: [String: String]
    /// The data files read, with their SHA-256.
    public var dataHashes: [RunDataHash]
    /// The dev metric that picks the best model (`accuracy`, `f1`, `loss`), nil when none does.
    public var bestMetric: String?
    /// The process recording it.
    public var process: RunProcess
    /// When it started.
    public var startedAt: Date

    /// A run's start; `process` defaults to this one and `startedAt` to now.
    public init(
        kind: String, model: String, command: String, outputDirectory: String? = nil, parameters: [String: String] = [:],
        dataHashes: [RunDataHash] = [], bestMetric: String? = nil, process: RunProcess = .current, startedAt: Date = Date()
    ) {
        self.kind = kind
        self.model = model
        self.command = command
        self.outputDirectory = outputDirectory
        self.parameters = parameters
        self.dataHashes = dataHashes
        self.bestMetric = bestMetric
        self.process = process
        self.startedAt = startedAt
    }
}

/// The best evaluation so far: the metric that picks the best model, its value and step.
public struct RunBest: Codable, Sendable, Equatable {
    /// The metric's name without the `eval_` prefix (`accuracy`).
    public var metric: String
    /// Its value at `step`.
    public var value: Double
    /// The optimizer step of that evaluation.
    public var step: Int

    /// A best evaluation.
    public init(metric: String, value: Double, step: Int) {
        self.metric = metric
        self.value = value
        self.step = step
    }
}

/// A run as the store holds it (its metric points are read separately: `RunStore.points(run:)`).
public struct RecordedRun: Sendable, Equatable, Identifiable {
    /// The store's number for it (1, 2, …).
    public var id: Int
    /// What it was at the start.
    public var start: RunStart
    /// Where it stands.
    public var status: RunStatus
    /// The last optimizer step recorded.
    public var steps: Int
    /// When it last recorded something (a step, an evaluation, its end).
    public var updatedAt: Date
    /// When it ended, nil while running (and for a run whose process vanished before it could say).
    public var finishedAt: Date?
    /// The best evaluation, nil before the first (or without a best-model metric).
    public var best: RunBest?
    /// The last evaluation's metrics (or the retrain's final ones), by name.
    public var finalMetrics: [String: Double]
    /// What it wrote.
    public var artefacts: [RunArtefact]
    /// Why it failed, nil unless it did.
    public var error: String?

    /// A run from its parts.
    public init(
        id: Int, start: RunStart, status: RunStatus, steps: Int, updatedAt: Date, finishedAt: Date?, best: RunBest?,
        finalMetrics: [String: Double], artefacts: [RunArtefact], error: String?
    ) {
        self.id = id
        self.start = start
        self.status = status
        self.steps = steps
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
        self.best = best
        self.finalMetrics = finalMetrics
        self.artefacts = artefacts
        self.error = error
    }

    /// Seconds from the start to the end, or to the last thing recorded when it has not ended.
    public var seconds: Double { (finishedAt ?? updatedAt).timeIntervalSince(start.startedAt) }
}
