import FinchTensor

/// Everything that decides a training run. Defaults equal the Hugging Face
/// Trainer's `TrainingArguments` where both have the option (AdamW betas
/// 0.9/0.999, eps 1e-8, gradient clipping at 1.0, linear schedule); where the
/// task recipes differ (learning rate 2e-5, warmup 10 %, weight decay 0.01)
/// the CLI passes them explicitly.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// Passes over the training data.
    public var epochs: Int = 3
    /// Examples per batch.
    public var batchSize: Int = 8
    /// Peak learning rate (AdamW).
    public var learningRate: Double = 5e-5
    /// Fraction of all optimizer steps spent warming up (ignored when `warmupSteps` is set).
    public var warmupRatio: Double = 0
    /// Warmup steps, overriding `warmupRatio`.
    public var warmupSteps: Int? = nil
    /// Decoupled weight decay (not on biases and LayerNorm weights).
    public var weightDecay: Double = 0
    /// AdamW's β₁.
    public var adamBeta1: Double = 0.9
    /// AdamW's β₂.
    public var adamBeta2: Double = 0.999
    /// AdamW's ε.
    public var adamEpsilon: Double = 1e-8
    /// Clip the global gradient L2 norm to this (nil: no clipping).
    public var maxGradNorm: Double? = 1.0
    /// Batches per optimizer step.
    public var gradientAccumulationSteps: Int = 1
    /// Learning-rate schedule after warmup.
    public var schedule: ScheduleKind = .linear
    /// Seed of the batch order and dropout.
    public var seed: UInt64 = 42
    /// When to evaluate on the development set.
    public var evaluation: EvaluationStrategy = .epoch
    /// Log the running loss every N optimizer steps.
    public var loggingSteps: Int = 50
    /// Stop after this many evaluations without improvement (nil: never).
    public var earlyStoppingPatience: Int? = nil
    /// Dev metric that picks the best checkpoint and drives early stopping
    /// (higher is better for every metric but the loss).
    public var metricForBestModel: TrainingMetric = .loss
    /// With a dev set, export (and leave in memory) the best evaluation's model;
    /// false keeps the model after the last step, as the Hugging Face Trainer does
    /// without `load_best_model_at_end`. `best/` is written either way.
    public var exportBestModel: Bool = true
    /// Sort examples by length inside shuffled pools so batches need little padding
    /// (faster; the Hugging Face Trainer's `group_by_length`). Off by default, as
    /// there: on MSRA NER, seed 7, bucketed batches ended 2 F1 points lower.
    public var lengthBucketing: Bool = false
    /// FGM adversarial training on the word embeddings: perturbation size ε (nil: off).
    public var adversarialEpsilon: Double? = nil
    /// Write a resumable checkpoint every N optimizer steps (nil: at each evaluation and at the end).
    public var checkpointSteps: Int? = nil
    /// The optimizer (nil: AdamW). Optional so that checkpoints written before it existed still load.
    public var optimizer: OptimizerKind? = nil
    /// SGD's momentum μ (nil: 0.9); weight decay is then SGD's L2 penalty.
    public var sgdMomentum: Double? = nil
    /// The precision of the forward and backward passes' matrix products
    /// (`MatmulPrecision`; nil: fp32). In bf16 the weights, gradients, optimizer
    /// and every other op stay fp32, and evaluation runs in fp32. Optional so that
    /// checkpoints written before it existed still load.
    public var precision: MatmulPrecision? = nil

    /// The defaults.
    public init() {}

    /// True when a higher value of `metricForBestModel` is better.
    public var greaterIsBetter: Bool { metricForBestModel.greaterIsBetter }

    /// Checks every value against its valid range.
    ///
    /// - Throws: `TrainingError.invalidConfiguration` naming the setting and the range.
    public func validate() throws {
        func check(_ ok: Bool, _ setting: TrainingSetting, _ why: String) throws {
            if !ok { throw TrainingError.invalidConfiguration(setting: setting, reason: why) }
        }
        try check(epochs > 0, .epochs, "must be at least 1")
        try check(batchSize > 0, .batchSize, "must be at least 1")
        try check(learningRate > 0 && learningRate.isFinite, .learningRate, "must be a positive number")
        try check(warmupRatio >= 0 && warmupRatio < 1, .warmupRatio, "must be in [0, 1)")
        try check(warmupSteps.map { $0 >= 0 } ?? true, .warmupSteps, "must not be negative")
        try check(weightDecay >= 0 && weightDecay.isFinite, .weightDecay, "must be a number ≥ 0")
        try check(
            (0..<1).contains(adamBeta1) && (0..<1).contains(adamBeta2) && adamEpsilon > 0 && adamEpsilon.isFinite,
            .adam, "betas must be in [0, 1) and epsilon positive")
        try check(gradientAccumulationSteps > 0, .gradientAccumulationSteps, "must be at least 1")
        try check(maxGradNorm.map { $0 > 0 && $0.isFinite } ?? true, .maxGradNorm, "must be a positive number (or no clipping)")
        try check(loggingSteps > 0, .loggingSteps, "must be at least 1")
        try check(earlyStoppingPatience.map { $0 > 0 } ?? true, .earlyStoppingPatience, "must be at least 1")
        try check(adversarialEpsilon.map { $0 > 0 && $0.isFinite } ?? true, .adversarialEpsilon, "must be a positive number")
        try check(checkpointSteps.map { $0 > 0 } ?? true, .checkpointSteps, "must be at least 1")
        try check(sgdMomentum.map { $0 >= 0 && $0 < 1 } ?? true, .adam, "SGD momentum must be in [0, 1)")
        if case .steps(let n) = evaluation { try check(n > 0, .evaluationSteps, "must be at least 1") }
    }
}
