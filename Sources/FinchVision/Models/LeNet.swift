import FinchNN
import FinchTensor

/// A LeNet-style classifier written as PyTorch's tutorials write it:
/// `conv1` (in → 6, 5×5) → ReLU → 2×2 max pool → `conv2` (6 → 16, 5×5) →
/// ReLU → 2×2 max pool → flatten → `fc1` (→ 120) → ReLU → `fc2` (→ 84) →
/// ReLU → `fc3` (→ classes). Input [N, inputChannels, imageSize, imageSize];
/// output logits [N, classCount]. Both convolutions pad by `padding`, so one
/// network covers 8×8 digits, 28×28 and 32×32 images.
public final class LeNet: Module {
    /// The input and output sizes.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Channels of the input image (1 grayscale, 3 RGB).
        public var inputChannels: Int
        /// Height and width of the (square) input image.
        public var imageSize: Int
        /// Number of classes.
        public var classCount: Int
        /// Zero padding of both convolutions (2 keeps the size through each 5×5 convolution).
        public var padding: Int

        /// A configuration; `padding` 2 by default.
        public init(inputChannels: Int = 1, imageSize: Int = 28, classCount: Int = 10, padding: Int = 2) {
            self.inputChannels = inputChannels
            self.imageSize = imageSize
            self.classCount = classCount
            self.padding = padding
        }

        /// Height (= width) of the feature maps after the second pooling.
        public var featureSize: Int {
            let afterConv1 = imageSize + 2 * padding - 4
            let afterConv2 = afterConv1 / 2 + 2 * padding - 4
            return afterConv2 / 2
        }

        /// Inputs of `fc1`: 16 channels of featureSize².
        public var flatFeatures: Int { 16 * featureSize * featureSize }
    }

    public let configuration: Configuration
    public let conv1: Conv2d
    public let conv2: Conv2d
    public let fc1: Linear
    public let fc2: Linear
    public let fc3: Linear
    public var isTraining = true

    public var children: [(name: String, module: any Module)] {
        [("conv1", conv1), ("conv2", conv2), ("fc1", fc1), ("fc2", fc2), ("fc3", fc3)]
    }

    /// A network initialized as PyTorch initializes its layers.
    public init(_ configuration: Configuration, rng: inout FinchRNG) {
        let c = configuration
        precondition(c.featureSize > 0, "LeNet: a \(c.imageSize)×\(c.imageSize) image with padding \(c.padding) is too small")
        self.configuration = c
        conv1 = Conv2d(inChannels: c.inputChannels, outChannels: 6, kernelSize: 5, padding: Pair2D(c.padding), rng: &rng)
        conv2 = Conv2d(inChannels: 6, outChannels: 16, kernelSize: 5, padding: Pair2D(c.padding), rng: &rng)
        fc1 = Linear(inFeatures: c.flatFeatures, outFeatures: 120, rng: &rng)
        fc2 = Linear(inFeatures: 120, outFeatures: 84, rng: &rng)
        fc3 = Linear(inFeatures: 84, outFeatures: c.classCount, rng: &rng)
    }

    /// Logits [N, classCount] for images `x` [N, inputChannels, imageSize, imageSize].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = conv1(x).relu().maxPool2d(kernel: 2)  // [N, 6, s1/2, s1/2]
        h = conv2(h).relu().maxPool2d(kernel: 2)  // [N, 16, f, f]
        h = h.flattened(from: 1)  // [N, 16·f·f]
        return fc3(fc2(fc1(h).relu()).relu())
    }
}
