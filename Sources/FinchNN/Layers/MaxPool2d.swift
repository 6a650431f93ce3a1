import FinchTensor

/// Max pooling over [N, C, H, W], as `torch.nn.MaxPool2d` (floor mode);
/// `stride` defaults to the kernel. No parameters.
public final class MaxPool2d: Module {
    public let kernelSize: Pair2D
    public let stride: Pair2D
    public let padding: Pair2D
    public var isTraining = true

    /// A pooling with PyTorch's defaults (stride = kernel, no padding).
    public init(kernelSize: Pair2D, stride: Pair2D? = nil, padding: Pair2D = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    /// Pools `x` [N, C, H, W].
    public func callAsFunction(_ x: Tensor) -> Tensor { x.maxPool2d(kernel: kernelSize, stride: stride, padding: padding) }
}
