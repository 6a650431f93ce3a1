import FinchTensor

/// How a model reads images, stored with it: color mode, input size and normalisation
/// (evaluation and prediction apply exactly this), plus the training-only augmentation.
public struct ImagePreprocessing: Codable, Equatable, Sendable {
    /// Gray or RGB.
    public var colorMode: ImageColorMode
    /// Input height; images of another size are resized (bilinear, `Resize`).
    public var height: Int
    /// Input width.
    public var width: Int
    /// Per-channel means subtracted after scaling to [0, 1].
    public var mean: [Float]
    /// Per-channel standard deviations divided by.
    public var std: [Float]

    /// A preprocessing; `mean` and `std` need one value per channel of `colorMode`.
    public init(colorMode: ImageColorMode, height: Int, width: Int, mean: [Float], std: [Float]) {
        self.colorMode = colorMode
        self.height = height
        self.width = width
        self.mean = mean
        self.std = std
    }

    /// The model's input shape, `[channels, height, width]`.
    public var inputShape: [Int] { [colorMode.channels, height, width] }

    /// The image as a `[channels, height, width]` tensor in [0, 1], resized to the input size
    /// when it differs; not yet normalised.
    public func scaled(_ image: Image) -> Tensor {
        precondition(image.channels == colorMode.channels, "decode the image as \(colorMode.rawValue) first")
        let x = image.tensor()
        return image.height == height && image.width == width ? x : Resize(height: height, width: width)(x)
    }

    /// `Normalize(mean, std)`.
    public var normalization: Normalize { Normalize(mean: mean, std: std) }

    /// What evaluation and prediction feed the model: `scaled`, then normalised.
    public func tensor(for image: Image) -> Tensor { normalization(scaled(image)) }
}

/// Training-time augmentation (torchvision's `RandomCrop(size, padding)` and
/// `RandomHorizontalFlip()`), applied after scaling and before normalisation.
public struct ImageAugmentation: Codable, Equatable, Sendable {
    /// Zero padding for a random crop back to the input size; 0: no crop.
    public var cropPadding: Int
    /// Mirror half the images left to right.
    public var horizontalFlip: Bool

    /// No augmentation.
    public static let none = ImageAugmentation(cropPadding: 0, horizontalFlip: false)

    /// An augmentation.
    public init(cropPadding: Int, horizontalFlip: Bool) {
        self.cropPadding = cropPadding
        self.horizontalFlip = horizontalFlip
    }

    /// True when nothing is random.
    public var isNone: Bool { cropPadding == 0 && !horizontalFlip }

    /// The random transforms for an input of `height` × `width`.
    public func transform(height: Int, width: Int) -> ImageTransformPipeline {
        var steps: [any ImageTransform] = []
        if cropPadding > 0 { steps.append(RandomCrop(height: height, width: width, padding: cropPadding)) }
        if horizontalFlip { steps.append(RandomHorizontalFlip()) }
        return ImageTransformPipeline(steps)
    }
}
