import FinchTensor

/// Batch normalization over the channels of [N, C, H, W], as
/// `torch.nn.BatchNorm2d`: y = (x − μ) / √(σ² + eps) · weight + bias.
///
/// In training mode μ and σ² (biased) are the batch's, and the buffers
/// `running_mean` and `running_var` move towards the batch mean and the
/// *unbiased* batch variance by `momentum` (x̂ ← (1 − m)·x̂ + m·x;
/// `momentum` nil: the cumulative average, m = 1 / num_batches_tracked);
/// `num_batches_tracked` counts the updates. In evaluation mode the running
/// statistics normalize. Parameters and buffers carry PyTorch's names.
public final class BatchNorm2d: Module {
    /// γ [C], initially 1.
    public let weight: Parameter
    /// β [C], initially 0.
    public let bias: Parameter
    /// Running mean [C] (buffer), initially 0.
    public let runningMean: Parameter
    /// Running variance [C] (buffer), initially 1.
    public let runningVar: Parameter
    /// Training batches seen (buffer, a scalar; PyTorch stores it as int64).
    public let numBatchesTracked: Parameter
    /// Added to the variance before the square root.
    public let eps: Float
    /// Weight of the newest batch in the running statistics; nil: cumulative average.
    public let momentum: Float?
    public var isTraining = true

    public var ownParameters: [(name: String, parameter: Parameter)] { [("weight", weight), ("bias", bias)] }
    public var ownBuffers: [(name: String, parameter: Parameter)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", numBatchesTracked)]
    }

    /// PyTorch's defaults: eps 1e-5, momentum 0.1, γ = 1, β = 0, running mean 0 and variance 1.
    public init(features: Int, eps: Float = 1e-5, momentum: Float? = 0.1) {
        weight = Parameter(.ones([features]))
        bias = Parameter(.zeros([features]))
        runningMean = Parameter(.zeros([features]), trainable: false)
        runningVar = Parameter(.ones([features]), trainable: false)
        numBatchesTracked = Parameter(.zeros([]), trainable: false)
        self.eps = eps
        self.momentum = momentum
    }

    /// Channels normalized.
    public var features: Int { weight.shape[0] }

    /// Normalizes `x` [N, C, H, W]; in training mode also updates the running statistics.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(
            x.rank == 4 && x.shape[1] == features, "BatchNorm2d(\(features)): input must be [N, \(features), H, W], got \(x.shape)")
        guard isTraining else {
            return x.batchNorm(
                mean: runningMean.value.detached(), variance: runningVar.value.detached(), weight: weight.value, bias: bias.value, eps: eps)
        }
        let result = x.batchNormTraining(weight: weight.value, bias: bias.value, eps: eps)
        withoutGradient {
            let count = numBatchesTracked.value.item + 1
            numBatchesTracked.assign(Tensor(scalar: count))
            let m = momentum ?? 1 / count
            runningMean.assign(runningMean.value.detached() * (1 - m) + result.mean * m)
            runningVar.assign(runningVar.value.detached() * (1 - m) + result.unbiasedVariance * m)
        }
        return result.output
    }
}
