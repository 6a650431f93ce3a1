import FinchTensor

/// The region `[top, top + height) × [left, left + width)` of an image, reading zeros where it
/// lies outside (so a crop larger than the image pads it, as torchvision's `crop` does).
func crop(_ image: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
    let d = ImageDimensions(image)
    return Tensor(shape: [d.channels, height, width]) { out in
        image.withUnsafeBufferPointer { src in
            for c in 0..<d.channels {
                for y in 0..<height {
                    let sy = top + y
                    let row = (c * height + y) * width
                    guard sy >= 0 && sy < d.height else {
                        for x in 0..<width { out[row + x] = 0 }
                        continue
                    }
                    for x in 0..<width {
                        let sx = left + x
                        out[row + x] = sx >= 0 && sx < d.width ? src[(c * d.height + sy) * d.width + sx] : 0
                    }
                }
            }
        }
    }
}

/// The middle `height` × `width` region, as torchvision's `CenterCrop`: the offset is
/// `round((size − crop) / 2)` with Python's rounding (half to even), and a crop larger than
/// the image pads it with zeros (⌊extra / 2⌋ before, the rest after).
public struct CenterCrop: ImageTransform, Equatable, Codable {
    /// Output height.
    public var height: Int
    /// Output width.
    public var width: Int

    /// A center crop to `height` × `width`.
    public init(height: Int, width: Int) {
        precondition(height > 0 && width > 0, "crop to a positive size, got \(height)x\(width)")
        self.height = height
        self.width = width
    }

    /// The cropped image.
    public func apply(_ image: Tensor, rng: inout FinchRNG) -> Tensor {
        let d = ImageDimensions(image)
        let top = Self.offset(size: d.height, crop: height)
        let left = Self.offset(size: d.width, crop: width)
        return crop(image, top: top, left: left, height: height, width: width)
    }

    /// Where the crop starts along an axis of `size` (negative: padding before).
    static func offset(size: Int, crop: Int) -> Int {
        if crop > size { return -((crop - size) / 2) }
        return Int((Double(size - crop) / 2).rounded(.toNearestOrEven))
    }
}

/// Zero padding of `amount` pixels on every side (torchvision's `Pad(amount)` with fill 0).
public struct Pad: ImageTransform, Equatable, Codable {
    /// Pixels added on each side.
    public var amount: Int

    /// Padding of `amount` ≥ 0 pixels.
    public init(_ amount: Int) {
        precondition(amount >= 0, "padding must not be negative, got \(amount)")
        self.amount = amount
    }

    /// The padded image.
    public func apply(_ image: Tensor, rng: inout FinchRNG) -> Tensor {
        let d = ImageDimensions(image)
        return crop(image, top: -amount, left: -amount, height: d.height + 2 * amount, width: d.width + 2 * amount)
    }
}

/// A `height` × `width` region at a uniformly random place after zero padding of `padding`
/// pixels on every side (torchvision's `RandomCrop(size, padding)`): top in
/// `0...(H + 2p − height)`, left likewise, drawn from Finch's generator.
public struct RandomCrop: ImageTransform, Equatable, Codable {
    /// Output height.
    public var height: Int
    /// Output width.
    public var width: Int
    /// Zero padding added on every side before cropping.
    public var padding: Int

    /// A random crop to `height` × `width` after `padding` pixels of zeros on each side.
    public init(height: Int, width: Int, padding: Int = 0) {
        precondition(height > 0 && width > 0 && padding >= 0, "bad random crop \(height)x\(width) padding \(padding)")
        self.height = height
        self.width = width
        self.padding = padding
    }

    /// The cropped image; the padded image must be at least the crop's size.
    public func apply(_ image: Tensor, rng: inout FinchRNG) -> Tensor {
        let d = ImageDimensions(image)
        let rangeY = d.height + 2 * padding - height, rangeX = d.width + 2 * padding - width
        precondition(rangeY >= 0 && rangeX >= 0, "random crop \(height)x\(width) is larger than the padded image")
        let top = Int(rng.next() % UInt64(rangeY + 1)) - padding
        let left = Int(rng.next() % UInt64(rangeX + 1)) - padding
        return crop(image, top: top, left: left, height: height, width: width)
    }
}
