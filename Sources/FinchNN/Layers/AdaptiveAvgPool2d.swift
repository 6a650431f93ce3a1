import FinchTensor

/// Adaptive average pooling to a fixed output size whatever the input's, as
/// `torch.nn.AdaptiveAvgPool2d` (ResNet's `avgpool`, output 1×1). No parameters.
public final class AdaptiveAvgPool2d: Module {
    public let outputSize: Pair2D
    public var isTraining = true

    /// Pools to `outputSize` (height, width).
    public init(outputSize: Pair2D) { self.outputSize = outputSize }

    /// Pools `x` [N, C, H, W] to [N, C, outH, outW].
    public func callAsFunction(_ x: Tensor) -> Tensor { x.adaptiveAvgPool2d(outputSize: outputSize) }
}
