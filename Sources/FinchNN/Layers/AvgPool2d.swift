import FinchTensor

/// Average pooling over [N, C, H, W], as `torch.nn.AvgPool2d` (floor mode);
/// `stride` defaults to the kernel. No parameters.
public final class AvgPool2d: Module {
    public let kernelSize: Pair2D
    public let stride: Pair2D
    public let padding: Pair2D
    /// Whether padding counts in the divisor (PyTorch's default: yes).
    public let countIncludePad: Bool
    public var isTraining = true

    /// A pooling with PyTorch's defaults (stride = kernel, no padding, padding counted).
    public init(kernelSize: Pair2D, stride: Pair2D? = nil, padding: Pair2D = 0, countIncludePad: Bool = true) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.countIncludePad = countIncludePad
    }

    /// Pools `x` [N, C, H, W].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.avgPool2d(kernel: kernelSize, stride: stride, padding: padding, countIncludePad: countIncludePad)
    }
}
