import FinchNN
import FinchSupport
import FinchTensor
import Foundation

/// Fine-tunes a task's model with AdamW, warmup + decay, gradient clipping and
/// accumulation, optional length-bucketed batches, evaluation, early stopping, best-model
/// selection and exact resume. Files in `outputDirectory`: `checkpoint/`
/// (resumable state), `best/` (best model so far), `metrics.jsonl`,
/// `training_curves.svg`, and at the end the chosen model itself in Hugging Face layout.
/// A run holds an exclusive lock on the folder (`OutputFolderLock`); a second
/// run into it fails with `FileWriteError.folderLocked`.
///
/// The run is one loop (`run`): for each optimizer step, `TrainingSession.step`
/// (forward, backward, FGM, clipping, update, logging); then, when due,
/// `TrainingSession.evaluate` (which also saves `best/` and decides early
/// stopping) and `TrainingSession.saveCheckpoint`; at the end `finish`.
public final class Trainer<Task: TrainingTask> {
    /// The task whose model trains.
    public let task: Task
    /// The settings of the run.
    public let configuration: TrainingConfiguration
    /// Where the run writes its files.
    public let outputDirectory: URL
    let train: [Task.Example]
    let dev: [Task.Example]
    /// Set to train data-parallel across the communicator's ranks (nil: one process).
    public var dataParallel: DataParallel? = nil

    /// Checks the configuration, the data and the task's ability to do what
    /// it asks (the metric it reports, FGM's embedding gradient) before any
    /// work.
    public init(task: Task, configuration: TrainingConfiguration, train: [Task.Example], dev: [Task.Example], outputDirectory: URL) throws {
        try configuration.validate()
        guard !train.isEmpty else { throw TrainingError.emptyTrainingSet }
        if let reported = task.reportedMetrics, !reported.contains(configuration.metricForBestModel) {
            throw TrainingError.unknownMetric(configuration.metricForBestModel, available: reported.map(\.rawValue))
        }
        if configuration.adversarialEpsilon != nil {
            let key = task.wordEmbeddingKey
            guard let key, task.model.trainableParameters().contains(where: { $0.name == key }) else {
                throw TrainingError.adversarialWithoutEmbeddingGradient(key: key)
            }
        }
        self.task = task
        self.configuration = configuration
        self.train = train
        self.dev = dev
        self.outputDirectory = outputDirectory
    }

    var checkpointDirectory: URL { outputDirectory.appendingPathComponent("checkpoint") }
    var bestDirectory: URL { outputDirectory.appendingPathComponent("best") }

    /// Optimizer steps in one epoch.
    public var stepsPerEpoch: Int {
        let batches = (train.count + configuration.batchSize - 1) / configuration.batchSize
        return (batches + configuration.gradientAccumulationSteps - 1) / configuration.gradientAccumulationSteps
    }

    /// Optimizer steps of the whole run.
    public var totalSteps: Int { stepsPerEpoch * configuration.epochs }

    /// Runs training.
    ///
    /// - Parameters:
    ///   - resume: whether to continue from `checkpoint/` (see `ResumeMode`).
    ///   - stop: checked before every step; a request ends the run with a
    ///     resumable checkpoint and `interrupted` set.
    ///   - events: progress, evaluations, checkpoints.
    /// - Throws: `TrainingError` for a bad checkpoint or a loss or parameter
    ///   that became NaN or infinite (nothing further is saved then), and the
    ///   task's and the file system's errors.
    public func run(
        resume: ResumeMode = .fresh, stop: StopSignal = StopSignal(),
        events: (TrainingEvent) -> Void = { _ in }
    ) throws -> TrainingSummary {
        try withoutActuallyEscaping(events) { events in try loop(resume: resume, stop: stop, events: events) }
    }

    /// The loop of `run`: steps, evaluations and checkpoints when due, the end.
    private func loop(resume: ResumeMode, stop: StopSignal, events: @escaping (TrainingEvent) -> Void) throws -> TrainingSummary {
        let session = try TrainingSession(trainer: self, resume: resume, events: events)
        let c = configuration
        let lengths = train.map { task.length(of: $0) }
        events(.started(totalSteps: totalSteps, startStep: session.state.globalStep, examples: train.count, epochs: c.epochs))
        task.model.train()
        training: while session.state.epoch < c.epochs && !session.stoppedEarly {
            let batches = EpochPlan.batches(
                lengths: lengths, batchSize: c.batchSize, seed: c.seed, epoch: session.state.epoch,
                bucketing: c.lengthBucketing)
            task.willStartEpoch(session.state.epoch)
            while session.state.batchInEpoch < batches.count {
                if try session.isStopRequested(stop) { return try session.interrupt() }
                // One optimizer step over up to `gradientAccumulationSteps` batches.
                let start = session.state.batchInEpoch
                try session.step(on: batches[start..<Swift.min(start + c.gradientAccumulationSteps, batches.count)])
                if session.isEvaluationStep {
                    try session.evaluate()
                    try session.saveCheckpoint()
                    if session.stoppedEarly { break training }
                } else if session.isCheckpointStep {
                    try session.saveCheckpoint()
                }
            }
            session.endEpoch()
            if c.evaluation == .epoch {
                try session.evaluate()
                try session.saveCheckpoint()
            }
        }
        return try session.finish()
    }

    /// Redraws `training_curves.svg` from the log: training loss and the dev metric.
    func writeCurves(_ log: MetricsLog) throws {
        let curves = TrainingCurves(records: try log.read(), metric: configuration.metricForBestModel.rawValue)
        try curves.write(to: outputDirectory.appendingPathComponent("training_curves.svg"))
    }

    /// Loads the model saved in `best/` back into the model, strictly: the
    /// weights and, with LoRA, the adapters must cover every parameter.
    func restoreBest() throws {
        let file = try SafetensorsFile(contentsOf: bestDirectory.appendingPathComponent("model.safetensors"))
        var weights = try file.tensors()
        // Integer buffers (batch norm's `num_batches_tracked`, stored as I64 as PyTorch holds it).
        for name in file.names where weights[name] == nil {
            guard let info = file.info(name), !info.dtype.isReadableAsFloat else { continue }
            let counts = try file.int64Tensor(named: name)
            weights[name] = Tensor(shape: counts.shape, values: counts.scalars.map { Float($0) })
        }
        let adapters = bestDirectory.appendingPathComponent(LoRAFiles.weights)
        if FileManager.default.fileExists(atPath: adapters.path) {
            weights.merge(try SafetensorsFile(contentsOf: adapters).tensors()) { old, _ in old }
        }
        try task.model.loadStateDict(weights)
    }
}

/// Writes a directory through `body` into a temporary sibling, then swaps it in
/// (FinchSupport's `AtomicDirectory`).
func saveAtomically(_ directory: URL, _ body: (URL) throws -> Void) throws {
    try AtomicDirectory.replace(directory, body)
}
