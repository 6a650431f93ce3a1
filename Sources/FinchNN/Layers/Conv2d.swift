import FinchTensor

/// 2-D convolution over [N, C, H, W], as `torch.nn.Conv2d`: `weight`
/// [out, in/groups, kH, kW] and `bias` [out] under PyTorch's names; output
/// [N, out, outH, outW] with outH = ⌊(H + 2·pH − dH·(kH − 1) − 1) / sH⌋ + 1.
public final class Conv2d: Module {
    public let weight: Parameter
    public let bias: Parameter?
    /// Step of the window.
    public let stride: Pair2D
    /// Zeros added on each side.
    public let padding: Pair2D
    /// Spacing of the kernel's taps.
    public let dilation: Pair2D
    /// Channel groups: input and output channels are split into `groups`
    /// independent convolutions.
    public let groups: Int
    public var isTraining = true

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    /// Initialized as PyTorch does (Kaiming-uniform with a = √5): weight and
    /// bias from U(−1/√fanIn, 1/√fanIn), fanIn = in/groups · kH · kW.
    public init(
        inChannels: Int, outChannels: Int, kernelSize: Pair2D, stride: Pair2D = 1, padding: Pair2D = 0,
        dilation: Pair2D = 1, groups: Int = 1, bias: Bool = true, rng: inout FinchRNG
    ) {
        precondition(
            groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
            "Conv2d: \(groups) groups for \(inChannels) → \(outChannels) channels")
        let fanIn = inChannels / groups * kernelSize.height * kernelSize.width
        let bound = 1 / Float(fanIn).squareRoot()
        let shape = [outChannels, inChannels / groups, kernelSize.height, kernelSize.width]
        weight = Parameter(Tensor.randomUniform(shape, low: -bound, high: bound, rng: &rng))
        self.bias = bias ? Parameter(Tensor.randomUniform([outChannels], low: -bound, high: bound, rng: &rng)) : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// Wraps existing values: `weight` [out, in/groups, kH, kW], `bias` [out].
    public init(weight: Tensor, bias: Tensor?, stride: Pair2D = 1, padding: Pair2D = 0, dilation: Pair2D = 1, groups: Int = 1) {
        precondition(weight.rank == 4, "Conv2d weight must be [out, in/groups, kH, kW], got \(weight.shape)")
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// Input channels.
    public var inChannels: Int { weight.shape[1] * groups }
    /// Output channels.
    public var outChannels: Int { weight.shape[0] }
    /// Kernel height and width.
    public var kernelSize: Pair2D { Pair2D(weight.shape[2], weight.shape[3]) }

    /// Applies the convolution to `x` [N, in, H, W].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        x.conv2d(weight: weight.value, bias: bias?.value, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}
