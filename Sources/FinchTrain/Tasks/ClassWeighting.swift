/// Per-label weights of the training loss.
public enum ClassWeighting: Sendable, Equatable {
    /// n / (labels · count) per label, scikit-learn's "balanced" weights (a
    /// label never seen weighs 1). Single-label data only.
    case balanced
    /// Explicit non-negative weights by label name, in the order given;
    /// unlisted labels weigh 1.
    case perLabel([LabelWeight])
}

/// One label's loss weight.
public struct LabelWeight: Sendable, Equatable {
    /// The label (or tag) as written in the training data.
    public var label: String
    /// Its weight, at least 0.
    public var weight: Double

    /// `label` weighing `weight`.
    public init(label: String, weight: Double) {
        self.label = label
        self.weight = weight
    }
}
