import Foundation

/// How often the trainer evaluates on the dev set.
public enum EvaluationStrategy: Codable, Sendable, Equatable {
    /// Never (no dev set).
    case no
    /// After every epoch.
    case epoch
    /// Every N optimizer steps (and at the end).
    case steps(Int)
}

/// Learning-rate schedule over optimizer steps, as Hugging Face's `get_*_schedule_with_warmup`.
public enum ScheduleKind: String, Codable, Sendable, CaseIterable {
    case constant, linear, cosine
}

/// Everything that decides a training run. Defaults equal the Hugging Face
/// Trainer's `TrainingArguments` where both have the option (AdamW betas
/// 0.9/0.999, eps 1e-8, gradient clipping at 1.0, linear schedule); where the
/// task recipes differ (learning rate 2e-5, warmup 10 %, weight decay 0.01)
/// the CLI passes them explicitly.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    public var epochs: Int = 3
    public var batchSize: Int = 8
    public var learningRate: Double = 5e-5
    /// Fraction of all optimizer steps spent warming up (ignored when `warmupSteps` is set).
    public var warmupRatio: Double = 0
    public var warmupSteps: Int? = nil
    public var weightDecay: Double = 0
    public var adamBeta1: Double = 0.9
    public var adamBeta2: Double = 0.999
    public var adamEpsilon: Double = 1e-8
    /// Clip the global gradient L2 norm to this (nil: no clipping).
    public var maxGradNorm: Double? = 1.0
    public var gradientAccumulationSteps: Int = 1
    public var schedule: ScheduleKind = .linear
    public var seed: UInt64 = 42
    public var evaluation: EvaluationStrategy = .epoch
    /// Log the running loss every N optimizer steps.
    public var loggingSteps: Int = 50
    /// Stop after this many evaluations without improvement (nil: never).
    public var earlyStoppingPatience: Int? = nil
    /// Dev metric that picks the best checkpoint and drives early stopping.
    public var metricForBestModel: String = "loss"
    public var greaterIsBetter: Bool = false
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

    public init() {}

    /// Checks the values a user can get wrong.
    public func validate() throws {
        func check(_ ok: Bool, _ field: String, _ why: String) throws {
            if !ok { throw TrainingError.invalidConfiguration(field: field, reason: why) }
        }
        try check(epochs > 0, "epochs", "must be at least 1")
        try check(batchSize > 0, "batch-size", "must be at least 1")
        try check(learningRate > 0 && learningRate.isFinite, "lr", "must be a positive number")
        try check(warmupRatio >= 0 && warmupRatio < 1, "warmup-ratio", "must be in [0, 1)")
        try check(weightDecay >= 0, "weight-decay", "must not be negative")
        try check(gradientAccumulationSteps > 0, "gradient-accumulation-steps", "must be at least 1")
        try check(maxGradNorm.map { $0 > 0 } ?? true, "max-grad-norm", "must be positive")
        try check(loggingSteps > 0, "logging-steps", "must be at least 1")
        try check(earlyStoppingPatience.map { $0 > 0 } ?? true, "early-stopping-patience", "must be at least 1")
        if case .steps(let n) = evaluation { try check(n > 0, "eval-steps", "must be at least 1") }
    }
}

/// Why training could not run or resume.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(field: String, reason: String)
    case emptyTrainingSet
    case unknownMetric(String, available: [String])
    case checkpointMismatch(String)
    case nonFiniteLoss(step: Int)

    public var description: String {
        switch self {
        case let .invalidConfiguration(field, reason): return "invalid --\(field): \(reason)"
        case .emptyTrainingSet: return "the training set has no examples"
        case let .unknownMetric(m, available):
            return "unknown metric '\(m)'; the evaluation reports \(available.sorted().joined(separator: ", "))"
        case let .checkpointMismatch(why): return "cannot resume: \(why)"
        case let .nonFiniteLoss(step): return "the loss became NaN or infinite at step \(step); lower the learning rate"
        }
    }
}
