import FinchTensor

/// One step of image preprocessing or augmentation on a `[channels, height, width]` float
/// tensor (what `Image.tensor()` returns), as torchvision's transforms do on tensors.
/// Deterministic transforms ignore `rng`; random ones draw from it, so a seed fixes them.
public protocol ImageTransform: Sendable {
    /// The transformed image (a new tensor; the input is not changed).
    func apply(_ image: Tensor, rng: inout FinchRNG) -> Tensor
}

extension ImageTransform {
    /// `apply` for deterministic transforms (a fixed generator is passed to random ones).
    public func callAsFunction(_ image: Tensor) -> Tensor {
        var rng = FinchRNG(seed: 0)
        return apply(image, rng: &rng)
    }
}

/// Transforms applied in order (torchvision's `Compose`).
public struct ImageTransformPipeline: ImageTransform {
    /// The steps, first applied first.
    public var steps: [any ImageTransform]

    /// A pipeline of `steps`.
    public init(_ steps: [any ImageTransform]) { self.steps = steps }

    /// Every step in order, each drawing from the same generator.
    public func apply(_ image: Tensor, rng: inout FinchRNG) -> Tensor {
        var x = image
        for step in steps { x = step.apply(x, rng: &rng) }
        return x
    }
}

/// The dimensions of a `[channels, height, width]` tensor.
struct ImageDimensions {
    let channels: Int, height: Int, width: Int

    init(_ image: Tensor) {
        precondition(image.rank == 3, "an image tensor is [channels, height, width], got \(image.shape)")
        (channels, height, width) = (image.shape[0], image.shape[1], image.shape[2])
    }
}
