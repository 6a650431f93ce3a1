import FinchNN
import FinchTensor

/// torchvision's `BasicBlock`: `conv1` (3×3, stride) → `bn1` → ReLU →
/// `conv2` (3×3) → `bn2`, plus the identity (or `downsample` when the width
/// or the stride changes), then ReLU.
public final class BasicBlock: Module {
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let conv2: Conv2d
    public let bn2: BatchNorm2d
    /// The projection of the shortcut, present when the shape changes.
    public let downsample: Downsample?
    public var isTraining = true

    public var children: [(name: String, module: any Module)] {
        [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2)] + (downsample.map { [("downsample", $0)] } ?? [])
    }

    /// A block from `inplanes` to `planes` channels; a `downsample` is added
    /// when `stride` ≠ 1 or the widths differ, as torchvision does.
    public init(inplanes: Int, planes: Int, stride: Int, rng: inout FinchRNG) {
        conv1 = ResNet.convolution(inplanes, planes, kernel: 3, stride: stride, rng: &rng)
        bn1 = BatchNorm2d(features: planes)
        conv2 = ResNet.convolution(planes, planes, kernel: 3, stride: 1, rng: &rng)
        bn2 = BatchNorm2d(features: planes)
        downsample = stride != 1 || inplanes != planes ? Downsample(inplanes: inplanes, planes: planes, stride: stride, rng: &rng) : nil
    }

    /// [N, inplanes, H, W] → [N, planes, H/stride, W/stride].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let out = bn2(conv2(bn1(conv1(x)).relu()))
        let identity = downsample.map { $0(x) } ?? x
        return (out + identity).relu()
    }
}

/// The shortcut projection of a `BasicBlock` (torchvision's
/// `nn.Sequential(conv1x1, BatchNorm2d)`): children `0` and `1`.
public final class Downsample: Module {
    public let conv: Conv2d
    public let bn: BatchNorm2d
    public var isTraining = true

    public var children: [(name: String, module: any Module)] { [("0", conv), ("1", bn)] }

    /// A 1×1 convolution with `stride`, then BatchNorm.
    public init(inplanes: Int, planes: Int, stride: Int, rng: inout FinchRNG) {
        conv = ResNet.convolution(inplanes, planes, kernel: 1, stride: stride, rng: &rng)
        bn = BatchNorm2d(features: planes)
    }

    /// Projects `x` to the block's output shape.
    public func callAsFunction(_ x: Tensor) -> Tensor { bn(conv(x)) }
}
