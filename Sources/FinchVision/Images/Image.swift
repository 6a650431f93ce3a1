import FinchTensor

/// A decoded picture: 8-bit samples, row-major, channels interleaved (`height × width × channels`,
/// the layout of Pillow's `numpy.asarray(image)`), with one channel (gray) or three (RGB).
public struct Image: Equatable, Sendable {
    /// Rows.
    public let height: Int
    /// Columns.
    public let width: Int
    /// 1 (gray) or 3 (RGB).
    public let channels: Int
    /// `height × width × channels` samples; pixel (y, x) channel c is at `(y * width + x) * channels + c`.
    public let pixels: [UInt8]

    /// An image of the given size over `pixels` (which must hold `height × width × channels` samples).
    public init(height: Int, width: Int, channels: Int, pixels: [UInt8]) {
        precondition(height > 0 && width > 0, "an image needs at least one pixel, got \(height)x\(width)")
        precondition(channels == 1 || channels == 3, "an image has 1 or 3 channels, got \(channels)")
        precondition(pixels.count == height * width * channels, "\(pixels.count) samples for \(height)x\(width)x\(channels)")
        self.height = height
        self.width = width
        self.channels = channels
        self.pixels = pixels
    }

    /// The color mode of the samples.
    public var colorMode: ImageColorMode { channels == 1 ? .gray : .rgb }

    /// torchvision's `ToTensor`: a `[channels, height, width]` tensor with every sample divided by 255.
    public func tensor() -> Tensor {
        let (h, w, c) = (height, width, channels)
        return Tensor(shape: [c, h, w]) { out in
            pixels.withUnsafeBufferPointer { src in
                for y in 0..<h {
                    for x in 0..<w {
                        let from = (y * w + x) * c
                        for k in 0..<c { out[(k * h + y) * w + x] = Float(src[from + k]) / 255 }
                    }
                }
            }
        }
    }
}
