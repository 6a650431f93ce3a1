import FinchTensor

/// Knowledge distillation's loss on a batch of logits (Hinton et al. 2015,
/// as DistilBERT trains its students):
///
///     α · T² · KL(softmax(t / T) ‖ softmax(s / T)) + (1 − α) · CE(s, y)
///
/// with student logits `s` [N, C], teacher logits `t` [N, C], temperature T
/// and true labels y. The KL term is averaged over rows (PyTorch's
/// `reduction="batchmean"`); T² keeps its gradient, which shrinks as 1/T², on
/// the scale of the cross-entropy's. The teacher's logits are constants.
public struct DistillationLoss: Sendable, Equatable {
    /// T > 0: above 1 softens both distributions, so the teacher's ranking
    /// of the wrong classes carries signal.
    public var temperature: Float
    /// α in [0, 1]: the weight of the soft-label term (1 − α goes to the true labels).
    public var alpha: Float

    /// A loss with temperature T and soft-label weight α.
    public init(temperature: Float, alpha: Float) {
        self.temperature = temperature
        self.alpha = alpha
    }

    /// The loss and its two terms, each a scalar.
    public struct Terms {
        /// α · T² · `kl` + (1 − α) · `crossEntropy`, recorded for backward.
        public let total: Tensor
        /// KL(softmax(t / T) ‖ softmax(s / T)), averaged over rows (without α and T²).
        public let kl: Tensor
        /// Cross-entropy of the student's logits (temperature 1) against the labels.
        public let crossEntropy: Tensor
    }

    /// The loss of `student` logits [N, C] against `teacher` logits [N, C]
    /// and class `targets` (N ids; `classWeights` [C] as `crossEntropy`).
    public func terms(student: Tensor, teacher: Tensor, targets: [Int], classWeights: Tensor? = nil) -> Terms {
        precondition(student.shape == teacher.shape, "distillation: student logits \(student.shape) vs teacher \(teacher.shape)")
        let t = temperature
        let soft = teacher.detached() / t
        let kl = (student / t).logSoftmax().klDivergence(logTarget: soft.logSoftmax())
        let hard = student.crossEntropy(targets: targets, classWeights: classWeights)
        return Terms(total: kl * (alpha * t * t) + hard * (1 - alpha), kl: kl, crossEntropy: hard)
    }
}
