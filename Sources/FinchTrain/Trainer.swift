import FinchNN
import FinchTensor
import Foundation

/// What a finished (or stopped) run reports.
public struct TrainingSummary: Sendable {
    public var steps: Int
    public var bestMetric: Double?
    public var bestStep: Int?
    public var lastEvaluation: Evaluation?
    public var stoppedEarly: Bool
    public var interrupted: Bool
}

/// Fine-tunes a task's model with AdamW, warmup + decay, gradient clipping and
/// accumulation, optional length-bucketed batches, evaluation, early stopping, best-model
/// selection and exact resume. Files in `outputDirectory`: `checkpoint/`
/// (resumable state), `best/` (best model so far), `metrics.jsonl`, and at the
/// end the chosen model itself in Hugging Face layout.
public final class Trainer<Task: TrainingTask> {
    public let task: Task
    public let configuration: TrainingConfiguration
    public let outputDirectory: URL
    let train: [Task.Example]
    let dev: [Task.Example]

    public init(task: Task, configuration: TrainingConfiguration, train: [Task.Example], dev: [Task.Example], outputDirectory: URL) throws {
        try configuration.validate()
        guard !train.isEmpty else { throw TrainingError.emptyTrainingSet }
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

    /// Runs training. With `resume`, continues from `checkpoint/` when present.
    public func run(resume: Bool = false, stop: StopSignal = StopSignal(), events: (TrainingEvent) -> Void = { _ in }) throws -> TrainingSummary {
        let c = configuration
        let model = task.model
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        let params = model.trainableParameters()
        let noDecay = WeightDecay.huggingFaceExemptions(in: model)
        let optimizer = try AdamW(
            parameters: params,
            configuration: .init(learningRate: c.learningRate, beta1: c.adamBeta1, beta2: c.adamBeta2, epsilon: c.adamEpsilon, weightDecay: c.weightDecay),
            noWeightDecay: noDecay)
        let totalSteps = stepsPerEpoch * c.epochs
        let warmup = c.warmupSteps ?? Int((Double(totalSteps) * c.warmupRatio).rounded(.up))
        let schedule: LearningRateSchedule
        switch c.schedule {
        case .constant: schedule = warmup > 0 ? .constantWithWarmup(warmupSteps: warmup) : .constant
        case .linear: schedule = .linearWithWarmup(warmupSteps: warmup, trainingSteps: totalSteps)
        case .cosine: schedule = .cosineWithWarmup(warmupSteps: warmup, trainingSteps: totalSteps)
        }
        let log = MetricsLog(url: outputDirectory.appendingPathComponent("metrics.jsonl"))

        var state = TrainerState(configuration: c, trainExamples: train.count)
        if resume && CheckpointStore.exists(at: checkpointDirectory) {
            state = try CheckpointStore.load(from: checkpointDirectory, model: model, optimizer: optimizer)
            guard state.configuration == c, state.trainExamples == train.count else {
                throw TrainingError.checkpointMismatch("the checkpoint in \(checkpointDirectory.path) was made with other settings or data")
            }
            for (name, d) in model.dropoutModules() { if let r = state.dropoutStreams[name] { d.rng = r } }
            try log.truncate(afterStep: state.globalStep)
        } else {
            try log.reset()
        }
        events(.started(totalSteps: totalSteps, startStep: state.globalStep, examples: train.count, epochs: c.epochs))
        let lengths = train.map { task.length(of: $0) }
        var lastEvaluation: Evaluation? = nil
        var stoppedEarly = false, interrupted = false
        let clock = ContinuousClock()
        let startTime = clock.now, startStep = state.globalStep

        func saveCheckpoint() throws {
            state.dropoutStreams = Dictionary(uniqueKeysWithValues: model.dropoutModules().map { ($0.0, $0.1.rng) })
            try CheckpointStore.save(to: checkpointDirectory, model: model, optimizer: optimizer, state: state)
            events(.checkpointSaved(step: state.globalStep, directory: checkpointDirectory))
        }

        func evaluate() throws {
            guard !dev.isEmpty else { return }
            model.eval()
            defer { model.train() }
            let result = try withoutGradient { try task.evaluate(dev) }
            lastEvaluation = result
            guard let value = result.metrics[c.metricForBestModel] else {
                throw TrainingError.unknownMetric(c.metricForBestModel, available: result.metrics.keys.sorted())
            }
            let improved = state.bestMetric.map { c.greaterIsBetter ? value > $0 : value < $0 } ?? true
            if improved {
                state.bestMetric = value
                state.bestStep = state.globalStep
                state.evaluationsWithoutImprovement = 0
                try saveAtomically(bestDirectory) { try task.saveModel(to: $0) }
            } else {
                state.evaluationsWithoutImprovement += 1
            }
            let epoch = Double(state.globalStep) / Double(Swift.max(stepsPerEpoch, 1))
            try log.append(MetricsRecord(kind: .eval, step: state.globalStep, epoch: epoch, values: result.metrics))
            try writeCurves(log)
            events(.evaluated(step: state.globalStep, epoch: epoch, metrics: result.metrics, isBest: improved))
            if let patience = c.earlyStoppingPatience, state.evaluationsWithoutImprovement >= patience { stoppedEarly = true }
        }

        model.train()
        epochs: while state.epoch < c.epochs {
            let batches = EpochPlan.batches(lengths: lengths, batchSize: c.batchSize, seed: c.seed, epoch: state.epoch, bucketing: c.lengthBucketing)
            while state.batchInEpoch < batches.count {
                if stop.isStopRequested {
                    interrupted = true
                    break epochs
                }
                // One optimizer step over up to `gradientAccumulationSteps` batches.
                let group = batches[state.batchInEpoch..<Swift.min(state.batchInEpoch + c.gradientAccumulationSteps, batches.count)]
                var stepLoss = 0.0
                for indices in group {
                    let examples = indices.map { train[$0] }
                    let scale = Float(indices.count) / Float(group.reduce(0) { $0 + $1.count })
                    let loss = try task.loss(on: examples)
                    guard loss.item.isFinite else { throw TrainingError.nonFiniteLoss(step: state.globalStep + 1) }
                    (loss * scale).backward()
                    stepLoss += Double(loss.item * scale)
                    if let eps = c.adversarialEpsilon, let key = task.wordEmbeddingKey {
                        try adversarialStep(key: key, epsilon: eps, examples: examples, scale: scale)
                    }
                }
                let norm = c.maxGradNorm.map { Double(clipGradNorm(params, maxNorm: Float($0))) }
                optimizer.learningRate = c.learningRate * schedule.multiplier(atStep: state.globalStep)
                optimizer.step()
                optimizer.zeroGrad()
                state.globalStep += 1
                state.batchInEpoch += group.count
                state.lossSum += stepLoss
                state.lossCount += 1
                let elapsed = (clock.now - startTime) / .seconds(1)
                let rate = Double(state.globalStep - startStep) / Swift.max(elapsed, 1e-9)
                let progress = StepProgress(
                    step: state.globalStep, totalSteps: totalSteps,
                    epoch: Double(state.globalStep) / Double(stepsPerEpoch), loss: stepLoss,
                    learningRate: optimizer.learningRate, gradientNorm: norm, stepsPerSecond: rate,
                    secondsRemaining: Double(totalSteps - state.globalStep) / Swift.max(rate, 1e-9))
                events(.step(progress))
                if state.globalStep % c.loggingSteps == 0 {
                    var values = ["loss": state.lossSum / Double(state.lossCount), "learning_rate": optimizer.learningRate]
                    if let norm { values["grad_norm"] = norm }
                    try log.append(MetricsRecord(kind: .train, step: state.globalStep, epoch: progress.epoch, values: values))
                    state.lossSum = 0
                    state.lossCount = 0
                }
                if case .steps(let n) = c.evaluation, state.globalStep % n == 0 {
                    try evaluate()
                    try saveCheckpoint()
                    if stoppedEarly { break epochs }
                } else if let n = c.checkpointSteps, state.globalStep % n == 0 {
                    try saveCheckpoint()
                }
            }
            state.epoch += 1
            state.batchInEpoch = 0
            if c.evaluation == .epoch {
                try evaluate()
                try saveCheckpoint()
                if stoppedEarly { break }
            }
        }
        if interrupted {
            try saveCheckpoint()
            events(.interrupted(step: state.globalStep))
            return TrainingSummary(steps: state.globalStep, bestMetric: state.bestMetric, bestStep: state.bestStep,
                                   lastEvaluation: lastEvaluation, stoppedEarly: false, interrupted: true)
        }
        if case .steps(let n) = c.evaluation, state.globalStep % n != 0 { try evaluate() }
        try saveCheckpoint()
        try writeCurves(log)
        if stoppedEarly, let best = state.bestMetric { events(.earlyStopped(step: state.globalStep, bestMetric: best)) }
        // The exported model is the best one when there was a dev set (unless told to keep the last).
        if c.exportBestModel, FileManager.default.fileExists(atPath: bestDirectory.path), state.bestStep != nil {
            try restoreBest()
        }
        model.eval()
        try task.saveModel(to: outputDirectory)
        events(.finished(step: state.globalStep))
        return TrainingSummary(steps: state.globalStep, bestMetric: state.bestMetric, bestStep: state.bestStep,
                               lastEvaluation: lastEvaluation, stoppedEarly: stoppedEarly, interrupted: false)
    }

    /// Redraws `training_curves.svg` from the log: training loss and the dev metric.
    func writeCurves(_ log: MetricsLog) throws {
        let curves = TrainingCurves(records: try log.read(), metric: configuration.metricForBestModel)
        try curves.write(to: outputDirectory.appendingPathComponent("training_curves.svg"))
    }

    /// Loads the weights saved in `best/` back into the model.
    func restoreBest() throws {
        let url = bestDirectory.appendingPathComponent("model.safetensors")
        let weights = try SafetensorsFile(contentsOf: url).tensors()
        let model = task.model
        let known = Set(model.namedParameters().map(\.name))
        try model.loadStateDict(weights.filter { known.contains($0.key) }, allowMissing: [""])
    }

    /// FGM (Miyato et al.): perturb the word embeddings along their gradient,
    /// r = ε·g/‖g‖, accumulate the gradient of the perturbed loss, restore.
    func adversarialStep(key: String, epsilon: Double, examples: [Task.Example], scale: Float) throws {
        guard let param = task.model.namedParameters().first(where: { $0.name == key })?.parameter,
              let grad = param.grad else { return }
        let norm = grad.squared().sum().item.squareRoot()
        guard norm > 0, norm.isFinite else { return }
        let r = grad * (Float(epsilon) / norm)
        let backup = param.value.copy()
        param.value.withUnsafeMutableStorage { p in
            let rp = r.storage.pointer
            for i in 0..<p.count { p[i] += rp[i] }
        }
        let loss = try task.loss(on: examples)
        (loss * scale).backward()
        param.value.withUnsafeMutableStorage { p in p.baseAddress!.update(from: backup.storage.pointer, count: p.count) }
    }
}

/// Writes a directory through `body` into a temporary sibling, then swaps it in.
func saveAtomically(_ directory: URL, _ body: (URL) throws -> Void) throws {
    let fm = FileManager.default
    let tmp = directory.deletingLastPathComponent().appendingPathComponent(directory.lastPathComponent + ".tmp")
    if fm.fileExists(atPath: tmp.path) { try fm.removeItem(at: tmp) }
    try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
    try body(tmp)
    if fm.fileExists(atPath: directory.path) { try fm.removeItem(at: directory) }
    try fm.moveItem(at: tmp, to: directory)
}
