import FinchTensor

/// Stacking images into the `[N, channels, height, width]` tensor a convolutional model reads.
public enum ImageBatch {
    /// `images` (each `[C, H, W]`, all the same shape) stacked along a new first axis.
    public static func stack(_ images: [Tensor]) -> Tensor {
        precondition(!images.isEmpty, "a batch needs at least one image")
        let shape = images[0].shape
        let size = images[0].count
        return Tensor(shape: [images.count] + shape) { out in
            for (i, image) in images.enumerated() {
                precondition(image.shape == shape, "image \(i) is \(image.shape), the first \(shape)")
                image.withUnsafeBufferPointer { src in
                    for j in 0..<size { out[i * size + j] = src[j] }
                }
            }
        }
    }
}
