/// One value a run recorded after `step` optimizer steps: a training step's
/// `loss`, `lr` or `grad_norm`, or an evaluation's metric as `eval_<metric>`
/// (`eval_accuracy`, `eval_loss`, `eval_f1`).
public struct RunMetricPoint: Codable, Sendable, Equatable {
    /// The prefix of an evaluation's metric names.
    public static let evaluationPrefix = "eval_"

    /// Optimizer steps done when the value was measured.
    public var step: Int
    /// Epochs done, fractional.
    public var epoch: Double
    /// `loss`, `lr`, `grad_norm` or `eval_<metric>`.
    public var name: String
    /// The value.
    public var value: Double

    /// A point.
    public init(step: Int, epoch: Double, name: String, value: Double) {
        self.step = step
        self.epoch = epoch
        self.name = name
        self.value = value
    }
}
