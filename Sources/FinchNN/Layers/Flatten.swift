import FinchTensor

/// Flattens dimensions `startDim ... endDim` into one, as `torch.nn.Flatten`
/// (defaults 1 and −1: [N, C, H, W] → [N, C·H·W]). Shares storage. No parameters.
public final class Flatten: Module {
    public let startDim: Int
    public let endDim: Int
    public var isTraining = true

    /// PyTorch's defaults: keep the batch dimension, flatten the rest.
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
    }

    /// Flattens `x`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let start = Shape.axis(startDim, rank: x.rank), end = Shape.axis(endDim, rank: x.rank)
        precondition(start <= end, "Flatten: start dimension \(startDim) after end dimension \(endDim) for shape \(x.shape)")
        let merged = x.shape[start...end].reduce(1, *)
        return x.reshaped(Array(x.shape[..<start]) + [merged] + Array(x.shape[(end + 1)...]))
    }
}
