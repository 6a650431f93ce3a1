/// A development-set metric that can pick the best model and drive early
/// stopping (Hugging Face's `metric_for_best_model`). The raw value is the
/// key in `Evaluation.metrics` and in `metrics.jsonl`.
public enum TrainingMetric: String, Codable, Sendable, CaseIterable {
    /// Mean loss on the development set (lower is better).
    case loss
    /// Fraction of examples predicted right (multi-label: subset accuracy).
    case accuracy
    /// Unweighted mean F1 over labels.
    case macroF1 = "macro_f1"
    /// Support-weighted mean F1 over labels.
    case weightedF1 = "weighted_f1"
    /// F1 over all label decisions pooled (multi-label).
    case microF1 = "micro_f1"
    /// Entity-level precision (seqeval's micro average).
    case precision
    /// Entity-level recall (seqeval's micro average).
    case recall
    /// Entity-level F1 (seqeval's micro average).
    case f1

    /// True for every metric but the loss.
    public var greaterIsBetter: Bool { self != .loss }

    /// What a single-label classifier reports.
    public static let classification: [TrainingMetric] = [.accuracy, .macroF1, .weightedF1, .loss]
    /// What a multi-label classifier reports.
    public static let multiLabelClassification: [TrainingMetric] = [.accuracy, .microF1, .macroF1, .weightedF1, .loss]
    /// What a tagger reports (entity level, seqeval).
    public static let entities: [TrainingMetric] = [.f1, .precision, .recall]
}
