import FinchTensor
import FinchTransformers

/// Contrastive loss with in-batch negatives, as sentence-transformers'
/// `MultipleNegativesRankingLoss` with its defaults: for a batch of N
/// (anchor, positive) pairs, the scores
///
///     S[i, j] = scale · cos(anchor_i, positive_j)        (N × N)
///
/// and the mean cross-entropy of each row against its own column i, so every
/// other pair's positive is a negative of anchor i. The loss is recorded for
/// backward through both embedding matrices (the cosine is the L2-normalized
/// dot product, the norm clamped at 1e-12 as PyTorch's `normalize`).
///
/// Two pairs with the same positive in one batch make each a false negative
/// of the other; `ContrastivePairBatches` builds batches without them.
public struct MultipleNegativesRankingLoss: Sendable, Equatable {
    /// sentence-transformers' default.
    public static let defaultScale: Float = 20

    /// The inverse temperature of the softmax over the similarities.
    public var scale: Float

    /// A loss with `scale` (default 20).
    public init(scale: Float = Self.defaultScale) {
        self.scale = scale
    }

    /// The similarity matrix [N, N]: `scale` · cos(anchors_i, positives_j).
    public func scores(anchors: Tensor, positives: Tensor) -> Tensor {
        precondition(
            anchors.rank == 2 && anchors.shape == positives.shape,
            "MultipleNegativesRankingLoss: anchors \(anchors.shape) vs positives \(positives.shape); both must be [N, D]")
        return anchors.l2Normalized().matmul(positives.l2Normalized(), transposeB: true) * scale
    }

    /// The mean loss of the batch, a scalar recorded for backward.
    public func callAsFunction(anchors: Tensor, positives: Tensor) -> Tensor {
        scores(anchors: anchors, positives: positives).crossEntropy(targets: Array(0..<anchors.shape[0]))
    }
}
