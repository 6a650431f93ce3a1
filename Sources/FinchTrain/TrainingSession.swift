import FinchNN
import FinchSupport
import FinchTensor
import Foundation

/// The mutable pieces of one `Trainer.run`: optimizer, schedule, log and
/// `TrainerState`, with the named parts of the loop — a step, an evaluation,
/// a checkpoint, an interruption, the end.
final class TrainingSession<Task: TrainingTask> {
    let trainer: Trainer<Task>
    let optimizer: any Optimizer
    let schedule: LearningRateSchedule
    let log: MetricsLog
    let parameters: [(name: String, parameter: Parameter)]
    let events: (TrainingEvent) -> Void
    var state: TrainerState
    var lastEvaluation: Evaluation? = nil
    /// Set when an evaluation ran out of patience.
    var stoppedEarly = false
    let clock = ContinuousClock()
    /// Held for the whole run: a second run into the same folder is refused. Nil on the
    /// ranks of a data-parallel job that write nothing.
    let lock: OutputFolderLock?
    /// Set for a data-parallel run (`Trainer.dataParallel`).
    let dataParallel: DataParallel?
    /// With data parallelism: the step and samples the dropout masks are keyed by.
    let dropoutKeys: SampleKeyedDropout?
    let startTime: ContinuousClock.Instant
    let startStep: Int

    var configuration: TrainingConfiguration { trainer.configuration }
    var model: any Module { trainer.task.model }
    /// False on the ranks of a data-parallel job other than 0: they write no file.
    var isWriter: Bool { dataParallel?.isWriter ?? true }

    /// Builds the optimizer and schedule, then starts fresh or restores the checkpoint.
    init(trainer: Trainer<Task>, resume: ResumeMode, events: @escaping (TrainingEvent) -> Void) throws {
        self.trainer = trainer
        self.events = events
        let c = trainer.configuration
        let model = trainer.task.model
        parameters = model.trainableParameters()
        dataParallel = trainer.dataParallel
        try dataParallel?.validate(c)
        dropoutKeys = dataParallel.map { _ in SampleKeyedDropout.install(on: model, seed: c.seed) }
        let writer = trainer.dataParallel?.isWriter ?? true
        switch c.optimizer ?? .adamw {
        case .adamw:
            optimizer = try AdamW(
                parameters: parameters,
                configuration: .init(
                    learningRate: c.learningRate, beta1: c.adamBeta1, beta2: c.adamBeta2, epsilon: c.adamEpsilon,
                    weightDecay: c.weightDecay),
                noWeightDecay: WeightDecay.huggingFaceExemptions(in: model))
        case .sgd:
            optimizer = try SGD(
                parameters: parameters,
                configuration: .init(learningRate: c.learningRate, momentum: c.sgdMomentum ?? 0.9, weightDecay: c.weightDecay))
        }
        let total = trainer.totalSteps
        let warmup = c.warmupSteps ?? Int((Double(total) * c.warmupRatio).rounded(.up))
        switch c.schedule {
        case .constant: schedule = warmup > 0 ? .constantWithWarmup(warmupSteps: warmup) : .constant
        case .linear: schedule = .linearWithWarmup(warmupSteps: warmup, trainingSteps: total)
        case .cosine: schedule = .cosineWithWarmup(warmupSteps: warmup, trainingSteps: total)
        }
        log = MetricsLog(url: trainer.outputDirectory.appendingPathComponent("metrics.jsonl"))
        state = TrainerState(configuration: c, trainExamples: trainer.train.count)
        let checkpoint = trainer.checkpointDirectory
        let missing = CheckpointStore.missingFiles(in: checkpoint)
        let restore: Bool
        switch resume {
        case .fresh: restore = false
        case .ifPresent: restore = missing.isEmpty
        case .required:
            if missing.count == 3 && !FileManager.default.fileExists(atPath: checkpoint.path) {
                throw TrainingError.noCheckpoint(directory: checkpoint.path)
            }
            guard missing.isEmpty else { throw TrainingError.incompleteCheckpoint(directory: checkpoint.path, missing: missing) }
            restore = true
        }
        // Locking creates the folder; taken before reading the checkpoint, so
        // no other run rewrites it meanwhile.
        lock = writer ? try OutputFolderLock(trainer.outputDirectory) : nil
        if restore {
            let saved = try CheckpointStore.readState(from: checkpoint, totalSteps: total)
            guard saved.configuration == c, saved.trainExamples == trainer.train.count else {
                throw TrainingError.checkpointMismatch("the checkpoint in \(checkpoint.path) was made with other settings or data")
            }
            try CheckpointStore.loadWeights(from: checkpoint, model: model, optimizer: optimizer)
            state = saved
            for (name, d) in model.dropoutModules() { if let r = state.dropoutStreams[name] { d.rng = r } }
            if let patience = c.earlyStoppingPatience, state.evaluationsWithoutImprovement >= patience { stoppedEarly = true }
        }
        if writer {
            if restore { try log.truncate(afterStep: state.globalStep) } else { try log.reset() }
        }
        try dataParallel?.communicator.requireAgreement(
            Int32(state.globalStep), on: "the step to start from (is --out on a file system that every rank sees?)")
        startTime = clock.now
        startStep = state.globalStep
    }

    /// True when the configuration asks for an evaluation after the step just taken.
    var isEvaluationStep: Bool {
        if case .steps(let n) = configuration.evaluation { return state.globalStep % n == 0 }
        return false
    }

    /// True when the configuration asks for a checkpoint after the step just taken.
    var isCheckpointStep: Bool { configuration.checkpointSteps.map { state.globalStep % $0 == 0 } ?? false }

    /// One optimizer step over `group` (consecutive batches of example indices):
    /// the loss of each batch, scaled by its share of the group's examples,
    /// backward (and FGM), clipping, the scheduled update, then progress and logging.
    func step(on group: ArraySlice<[Int]>) throws {
        let c = configuration
        let task = trainer.task
        let examplesInGroup = group.reduce(0) { $0 + $1.count }
        var stepLoss = 0.0
        optimizer.learningRate = c.learningRate * schedule.multiplier(atStep: state.globalStep)
        if let dataParallel {
            stepLoss = try accumulateDataParallel(group, examplesInGroup: examplesInGroup, over: dataParallel)
        } else {
            stepLoss = try accumulate(group, examplesInGroup: examplesInGroup, task: task)
        }
        let norm = c.maxGradNorm.map { Double(clipGradNorm(parameters, maxNorm: Float($0))) }
        optimizer.step()
        optimizer.zeroGrad()
        if let name = firstNonFiniteParameter() {
            throw TrainingError.nonFiniteParameter(name: name, step: state.globalStep + 1, learningRate: optimizer.learningRate)
        }
        state.globalStep += 1
        state.batchInEpoch += group.count
        state.lossSum += stepLoss
        state.lossCount += 1
        let progress = self.progress(loss: stepLoss, gradientNorm: norm)
        events(.step(progress))
        if state.globalStep % c.loggingSteps == 0 {
            var values = ["loss": state.lossSum / Double(state.lossCount), "learning_rate": optimizer.learningRate]
            if let norm { values["grad_norm"] = norm }
            if isWriter {
                try log.append(MetricsRecord(kind: .train, step: state.globalStep, epoch: progress.epoch, values: values))
            }
            state.lossSum = 0
            state.lossCount = 0
        }
    }

    /// One process's forward and backward passes over `group`, their matrix products in the
    /// configuration's precision: each batch's loss scaled by its share of the group's
    /// examples (and FGM); returns the step's loss.
    func accumulate(_ group: ArraySlice<[Int]>, examplesInGroup: Int, task: Task) throws -> Double {
        try MatmulPrecision.$current.withValue(configuration.precision ?? .fp32) {
            try accumulateInPrecision(group, examplesInGroup: examplesInGroup, task: task)
        }
    }

    private func accumulateInPrecision(_ group: ArraySlice<[Int]>, examplesInGroup: Int, task: Task) throws -> Double {
        let c = configuration
        var stepLoss = 0.0
        for indices in group {
            let examples = indices.map { trainer.train[$0] }
            let scale = Float(indices.count) / Float(examplesInGroup)
            let loss = try task.loss(on: examples)
            guard loss.item.isFinite else {
                throw TrainingError.nonFiniteLoss(step: state.globalStep + 1, learningRate: optimizer.learningRate)
            }
            (loss * scale).backward()
            stepLoss += Double(loss.item * scale)
            if let epsilon = c.adversarialEpsilon, let key = task.wordEmbeddingKey {
                try adversarialStep(key: key, epsilon: epsilon, examples: examples, scale: scale)
            }
        }
        return stepLoss
    }

    /// Where the run stands after a step, with its pace.
    func progress(loss: Double, gradientNorm: Double?) -> StepProgress {
        let total = trainer.totalSteps
        let elapsed = (clock.now - startTime) / .seconds(1)
        let rate = Double(state.globalStep - startStep) / Swift.max(elapsed, 1e-9)
        return StepProgress(
            step: state.globalStep, totalSteps: total, epoch: Double(state.globalStep) / Double(trainer.stepsPerEpoch), loss: loss,
            learningRate: optimizer.learningRate, gradientNorm: gradientNorm, stepsPerSecond: rate,
            secondsRemaining: Double(total - state.globalStep) / Swift.max(rate, 1e-9))
    }

    /// The name of the first trainable parameter holding a NaN or an infinity, if any.
    func firstNonFiniteParameter() -> String? {
        for (name, p) in parameters where !Self.allFinite(p.value) { return name }
        return nil
    }

    /// True when every value is finite: `x · 0` is 0 for finite x and NaN
    /// otherwise, summed in 16 lanes.
    static func allFinite(_ t: Tensor) -> Bool {
        t.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress else { return true }
            let raw = UnsafeRawPointer(base)
            var lanes = SIMD16<Float>()
            let n = b.count, wide = n / 16 * 16
            var i = 0
            while i < wide {
                lanes += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self) * 0
                i += 16
            }
            var rest: Float = 0
            while i < n {
                rest += b[i] * 0
                i += 1
            }
            return (lanes.sum() + rest) == 0
        }
    }

    /// FGM (Miyato et al.): perturb the word embeddings along their gradient,
    /// r = ε·g/‖g‖, accumulate the gradient of the perturbed loss, restore.
    /// A zero (or non-finite) gradient norm perturbs nothing.
    func adversarialStep(key: String, epsilon: Double, examples: [Task.Example], scale: Float) throws {
        guard let param = parameters.first(where: { $0.name == key })?.parameter, let grad = param.grad else {
            throw TrainingError.adversarialWithoutEmbeddingGradient(key: key)
        }
        let norm = grad.squared().sum().item.squareRoot()
        guard norm > 0, norm.isFinite else { return }
        let r = grad * (Float(epsilon) / norm)
        let backup = param.value.copy()
        param.value.withUnsafeMutableStorage { p in
            let rp = r.storage.pointer
            for i in 0..<p.count { p[i] += rp[i] }
        }
        let loss = try trainer.task.loss(on: examples)
        (loss * scale).backward()
        param.value.withUnsafeMutableStorage { p in p.baseAddress!.update(from: backup.storage.pointer, count: p.count) }
    }

    /// Evaluates on the development set (if any): logs the metrics, saves
    /// `best/` when the chosen metric improved, and sets `stoppedEarly` when
    /// patience ran out.
    func evaluate() throws {
        guard !trainer.dev.isEmpty else { return }
        let c = configuration
        let task = trainer.task
        model.eval()
        defer { model.train() }
        let result = try withoutGradient { try task.evaluate(trainer.dev) }
        lastEvaluation = result
        guard let value = result.metrics[c.metricForBestModel.rawValue] else {
            throw TrainingError.unknownMetric(c.metricForBestModel, available: result.metrics.keys.sorted())
        }
        let improved = state.bestMetric.map { c.greaterIsBetter ? value > $0 : value < $0 } ?? true
        if improved {
            state.bestMetric = value
            state.bestStep = state.globalStep
            state.evaluationsWithoutImprovement = 0
            if isWriter { try saveAtomically(trainer.bestDirectory) { try task.saveModel(to: $0) } }
        } else {
            state.evaluationsWithoutImprovement += 1
        }
        state.evaluatedStep = state.globalStep
        let epoch = Double(state.globalStep) / Double(Swift.max(trainer.stepsPerEpoch, 1))
        if isWriter {
            try log.append(MetricsRecord(kind: .eval, step: state.globalStep, epoch: epoch, values: result.metrics))
            try trainer.writeCurves(log)
        }
        events(.evaluated(step: state.globalStep, epoch: epoch, metrics: result.metrics, isBest: improved))
        if let patience = c.earlyStoppingPatience, state.evaluationsWithoutImprovement >= patience { stoppedEarly = true }
    }

    /// Writes the resumable checkpoint (weights, optimizer moments, state, dropout streams).
    func saveCheckpoint() throws {
        guard isWriter else { return }
        state.dropoutStreams = Dictionary(uniqueKeysWithValues: model.dropoutModules().map { ($0.0, $0.1.rng) })
        try CheckpointStore.save(to: trainer.checkpointDirectory, model: model, optimizer: optimizer, state: state)
        events(.checkpointSaved(step: state.globalStep, directory: trainer.checkpointDirectory))
    }

    /// Moves on to the next epoch.
    func endEpoch() {
        state.epoch += 1
        state.batchInEpoch = 0
    }

    /// A stop request: saves a checkpoint to resume from.
    func interrupt() throws -> TrainingSummary {
        try saveCheckpoint()
        events(.interrupted(step: state.globalStep))
        return summary(interrupted: true)
    }

    /// The end of the run: a last evaluation when steps-based evaluation has
    /// not just evaluated, the final checkpoint and curves, then the exported
    /// model (the best evaluation's unless told to keep the last).
    func finish() throws -> TrainingSummary {
        let c = configuration
        if case .steps = c.evaluation, state.evaluatedStep != state.globalStep { try evaluate() }
        try saveCheckpoint()
        if isWriter { try trainer.writeCurves(log) }
        if stoppedEarly, let best = state.bestMetric { events(.earlyStopped(step: state.globalStep, bestMetric: best)) }
        if isWriter, c.exportBestModel, FileManager.default.fileExists(atPath: trainer.bestDirectory.path), state.bestStep != nil {
            try trainer.restoreBest()
        }
        model.eval()
        if isWriter { try trainer.task.saveModel(to: trainer.outputDirectory) }
        events(.finished(step: state.globalStep))
        return summary(interrupted: false)
    }

    func summary(interrupted: Bool) -> TrainingSummary {
        TrainingSummary(
            steps: state.globalStep, bestMetric: state.bestMetric, bestStep: state.bestStep, lastEvaluation: lastEvaluation,
            stoppedEarly: stoppedEarly && !interrupted, interrupted: interrupted)
    }
}
