import FinchNN
import FinchTensor

/// A residual network of basic blocks, written as torchvision writes
/// `ResNet` (module names `conv1`, `bn1`, `layer1.0.conv1`,
/// `layer2.0.downsample.0`, `fc`), with the 3×3 stride-1 stem of the
/// CIFAR networks (no max pool) so small images keep their resolution:
/// `conv1` → `bn1` → ReLU → `layer1` … `layerK` → adaptive average pool →
/// `fc`. Stage i has `widths[i]` channels, `blocks[i]` blocks, and halves
/// the resolution (stride 2) from the second stage on.
public final class ResNet: Module {
    /// The shape of the network.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Channels of the input image.
        public var inputChannels: Int
        /// Number of classes.
        public var classCount: Int
        /// Channels per stage (the stem has the first).
        public var widths: [Int]
        /// Basic blocks per stage.
        public var blocks: [Int]

        /// A configuration; the defaults are `resnet8`'s stages.
        public init(inputChannels: Int = 3, classCount: Int = 10, widths: [Int] = [16, 32, 64], blocks: [Int] = [1, 1, 1]) {
            self.inputChannels = inputChannels
            self.classCount = classCount
            self.widths = widths
            self.blocks = blocks
        }
    }

    public let configuration: Configuration
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    /// `layer1`, `layer2`, …
    public let layers: [ResNetLayer]
    public let avgpool = AdaptiveAvgPool2d(outputSize: 1)
    public let fc: Linear
    public var isTraining = true

    public var children: [(name: String, module: any Module)] {
        [("conv1", conv1), ("bn1", bn1)] + layers.enumerated().map { ("layer\($0.offset + 1)", $0.element) } + [("fc", fc)]
    }

    /// A network initialized as torchvision initializes ResNet: convolutions
    /// Kaiming-normal (fan-out, ReLU gain), BatchNorm γ = 1 and β = 0, `fc`
    /// as `torch.nn.Linear`.
    public init(_ configuration: Configuration, rng: inout FinchRNG) {
        let c = configuration
        precondition(
            !c.widths.isEmpty && c.widths.count == c.blocks.count && c.blocks.allSatisfy { $0 > 0 },
            "ResNet: \(c.widths.count) widths for \(c.blocks.count) stages")
        self.configuration = c
        conv1 = ResNet.convolution(c.inputChannels, c.widths[0], kernel: 3, stride: 1, rng: &rng)
        bn1 = BatchNorm2d(features: c.widths[0])
        var inplanes = c.widths[0]
        var stages: [ResNetLayer] = []
        for (i, (width, count)) in zip(c.widths, c.blocks).enumerated() {
            stages.append(ResNetLayer(inplanes: inplanes, planes: width, blocks: count, stride: i == 0 ? 1 : 2, rng: &rng))
            inplanes = width
        }
        layers = stages
        fc = Linear(inFeatures: inplanes, outFeatures: c.classCount, rng: &rng)
    }

    /// `resnet8`: a 16-channel stem and three stages of one basic block (16, 32, 64 channels).
    public static func resnet8(inputChannels: Int = 3, classCount: Int = 10, rng: inout FinchRNG) -> ResNet {
        ResNet(Configuration(inputChannels: inputChannels, classCount: classCount), rng: &rng)
    }

    /// Logits [N, classCount] for images `x` [N, inputChannels, H, W].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = bn1(conv1(x)).relu()
        for layer in layers { h = layer(h) }
        return fc(avgpool(h).flattened(from: 1))  // [N, widths.last]
    }

    /// A bias-free convolution with padding kernel/2, Kaiming-normal
    /// (mode fan-out, ReLU gain √2) as torchvision initializes it.
    static func convolution(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int, rng: inout FinchRNG) -> Conv2d {
        let std = (2 / Float(outChannels * kernel * kernel)).squareRoot()
        let weight = Tensor.randomNormal([outChannels, inChannels, kernel, kernel], std: std, rng: &rng)
        return Conv2d(weight: weight, bias: nil, stride: Pair2D(stride), padding: Pair2D(kernel / 2))
    }
}

/// One stage of a ResNet (torchvision's `layerN`, an `nn.Sequential`): basic
/// blocks named `0`, `1`, …; the first may change width and stride.
public final class ResNetLayer: Module {
    public let blocks: [BasicBlock]
    public var isTraining = true

    public var children: [(name: String, module: any Module)] { blocks.enumerated().map { ("\($0.offset)", $0.element) } }

    /// `blocks` blocks from `inplanes` to `planes` channels, the first with `stride`.
    public init(inplanes: Int, planes: Int, blocks: Int, stride: Int, rng: inout FinchRNG) {
        var all = [BasicBlock(inplanes: inplanes, planes: planes, stride: stride, rng: &rng)]
        for _ in 1..<blocks { all.append(BasicBlock(inplanes: planes, planes: planes, stride: 1, rng: &rng)) }
        self.blocks = all
    }

    /// Runs the blocks in order.
    public func callAsFunction(_ x: Tensor) -> Tensor { blocks.reduce(x) { $1($0) } }
}
