import FinchTensor

/// Mirrors an image left to right (torchvision's `horizontal_flip`).
public struct HorizontalFlip: ImageTransform, Equatable, Codable {
    /// The flip.
    public init() {}

    /// The mirrored image.
    public func apply(_ image: Tensor, rng: inout FinchRNG) -> Tensor {
        let d = ImageDimensions(image)
        return Tensor(shape: image.shape) { out in
            image.withUnsafeBufferPointer { src in
                for row in 0..<(d.channels * d.height) {
                    let base = row * d.width
                    for x in 0..<d.width { out[base + x] = src[base + d.width - 1 - x] }
                }
            }
        }
    }
}

/// Mirrors an image left to right with probability `probability` (torchvision's
/// `RandomHorizontalFlip(p)`), drawing one uniform number per image.
public struct RandomHorizontalFlip: ImageTransform, Equatable, Codable {
    /// Chance of a flip.
    public var probability: Float

    /// A flip with chance `probability` in [0, 1].
    public init(probability: Float = 0.5) {
        precondition((0...1).contains(probability), "flip probability must be in [0, 1], got \(probability)")
        self.probability = probability
    }

    /// The image, mirrored or not.
    public func apply(_ image: Tensor, rng: inout FinchRNG) -> Tensor {
        rng.nextUniform() < probability ? HorizontalFlip().apply(image, rng: &rng) : image
    }
}
