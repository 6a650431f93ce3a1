import FinchSupport
import FinchTensor

extension ImageDataset {
    /// Decodes every image as `preprocessing` asks and scales it to the input size: one
    /// `[C, H, W]` tensor in [0, 1] per sample, in order. The first bad file stops the read with
    /// its `ImageError`, naming it. `progress` receives (images done, total) every 256 images.
    public func decode(
        _ preprocessing: ImagePreprocessing, progress: (Int, Int) -> Void = { _, _ in }
    ) throws(ImageError) -> [Tensor] {
        var out: [Tensor] = []
        out.reserveCapacity(samples.count)
        for (i, sample) in samples.enumerated() {
            let image = try Image(contentsOfFile: sample.path, as: preprocessing.colorMode)
            out.append(preprocessing.scaled(image))
            if (i + 1) % 256 == 0 || i + 1 == samples.count { progress(i + 1, samples.count) }
        }
        return out
    }
}
