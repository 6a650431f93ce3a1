import FinchTensor

/// Per-channel standardisation `(x − mean[c]) / std[c]`, as torchvision's `Normalize` (which
/// subtracts, then divides, in Float32).
public struct Normalize: ImageTransform, Equatable, Codable {
    /// Per-channel means.
    public var mean: [Float]
    /// Per-channel standard deviations (positive).
    public var std: [Float]

    /// Normalisation with one mean and std per channel.
    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count && !mean.isEmpty, "normalize needs as many means as stds")
        precondition(std.allSatisfy { $0 > 0 }, "normalize needs positive standard deviations")
        self.mean = mean
        self.std = std
    }

    /// The normalised image; it must have as many channels as `mean`.
    public func apply(_ image: Tensor, rng: inout FinchRNG) -> Tensor {
        let d = ImageDimensions(image)
        precondition(d.channels == mean.count, "normalize has \(mean.count) channels, the image \(d.channels)")
        let plane = d.height * d.width
        return Tensor(shape: image.shape) { out in
            image.withUnsafeBufferPointer { src in
                for c in 0..<d.channels {
                    let (m, s) = (mean[c], std[c])
                    for i in (c * plane)..<((c + 1) * plane) { out[i] = (src[i] - m) / s }
                }
            }
        }
    }
}
