import FinchTensor

/// Bilinear resizing, as torchvision's `Resize(size, antialias=False)` on a float tensor
/// (`torch.nn.functional.interpolate(mode="bilinear", align_corners=False)`): output pixel i
/// reads source position max((i + ½)·in/out − ½, 0) and blends its two neighbours per axis.
/// Without antialiasing, downscaling by more than 2× skips source pixels, as there.
public struct Resize: ImageTransform, Equatable, Codable {
    /// What the output size is.
    public enum Size: Equatable, Codable, Sendable {
        /// Exactly this height and width.
        case exact(height: Int, width: Int)
        /// The shorter side becomes this, the longer keeps the aspect ratio (truncated), as
        /// torchvision's `Resize(int)`.
        case shorterSide(Int)
    }

    /// The output size.
    public var size: Size

    /// Resizes to `height` × `width`.
    public init(height: Int, width: Int) {
        precondition(height > 0 && width > 0, "resize to a positive size, got \(height)x\(width)")
        size = .exact(height: height, width: width)
    }

    /// Resizes so that the shorter side is `shorterSide`.
    public init(shorterSide: Int) {
        precondition(shorterSide > 0, "resize to a positive size, got \(shorterSide)")
        size = .shorterSide(shorterSide)
    }

    /// The output height and width for an input of `height` × `width`.
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        switch size {
        case let .exact(h, w): return (h, w)
        case let .shorterSide(s):
            // torchvision: new_long = int(size * long / short), computed in Python floats.
            if width <= height { return (Int(Double(s) * Double(height) / Double(width)), s) }
            return (s, Int(Double(s) * Double(width) / Double(height)))
        }
    }

    /// The resized image.
    public func apply(_ image: Tensor, rng: inout FinchRNG) -> Tensor {
        let d = ImageDimensions(image)
        let (oh, ow) = outputSize(height: d.height, width: d.width)
        if oh == d.height && ow == d.width { return image.copy() }
        let rows = Self.taps(input: d.height, output: oh)
        let cols = Self.taps(input: d.width, output: ow)
        return Tensor(shape: [d.channels, oh, ow]) { out in
            image.withUnsafeBufferPointer { src in
                for c in 0..<d.channels {
                    let plane = c * d.height * d.width
                    for y in 0..<oh {
                        let r = rows[y]
                        let top = plane + r.index0 * d.width, bottom = plane + r.index1 * d.width
                        for x in 0..<ow {
                            let k = cols[x]
                            let upper = k.weight0 * src[top + k.index0] + k.weight1 * src[top + k.index1]
                            let lower = k.weight0 * src[bottom + k.index0] + k.weight1 * src[bottom + k.index1]
                            out[(c * oh + y) * ow + x] = r.weight0 * upper + r.weight1 * lower
                        }
                    }
                }
            }
        }
    }

    /// The two source indices and weights of each output index along one axis, in Float as
    /// PyTorch's CPU kernel computes them.
    struct Tap {
        let index0: Int, index1: Int, weight0: Float, weight1: Float
    }

    static func taps(input: Int, output: Int) -> [Tap] {
        let scale = Float(input) / Float(output)
        return (0..<output).map { i in
            let source = Swift.max(scale * (Float(i) + 0.5) - 0.5, 0)
            let i0 = Swift.min(Int(source), input - 1)
            let i1 = i0 + (i0 < input - 1 ? 1 : 0)
            let lambda1 = Swift.min(Swift.max(source - Float(i0), 0), 1)
            return Tap(index0: i0, index1: i1, weight0: 1 - lambda1, weight1: lambda1)
        }
    }
}
