import FinchNN
import FinchTensor
import FinchVision

/// The convolutional networks `finch train image --model` builds (FinchVision's models).
public enum ImageArchitecture: String, Codable, CaseIterable, Sendable {
    /// LeNet-5 as PyTorch's tutorials write it (two 5×5 convolutions with padding 2, three
    /// linear layers); square inputs of any size ≥ 4.
    case lenet
    /// A CIFAR-style ResNet of three basic blocks (16, 32, 64 channels) with batch norm.
    case resnet8

    /// The network for `classes` classes on `[channels, size, size]` inputs, initialised as
    /// PyTorch initialises it from `rng`.
    public func build(channels: Int, size: Int, classes: Int, rng: inout FinchRNG) -> ImageNetwork {
        switch self {
        case .lenet:
            return .lenet(LeNet(LeNet.Configuration(inputChannels: channels, imageSize: size, classCount: classes), rng: &rng))
        case .resnet8:
            return .resnet(ResNet.resnet8(inputChannels: channels, classCount: classes, rng: &rng))
        }
    }
}

/// One of FinchVision's classifiers, called the same way.
public enum ImageNetwork {
    /// A LeNet.
    case lenet(LeNet)
    /// A ResNet.
    case resnet(ResNet)

    /// The network as a module (parameters, state dict, train/eval).
    public var module: any Module {
        switch self {
        case .lenet(let m): return m
        case .resnet(let m): return m
        }
    }

    /// Logits `[N, classes]` of a batch `[N, C, H, W]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch self {
        case .lenet(let m): return m(x)
        case .resnet(let m): return m(x)
        }
    }
}
