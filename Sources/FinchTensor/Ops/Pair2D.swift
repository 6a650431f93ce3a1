/// Two sizes for the two spatial dimensions of an image, height first — the
/// "int or (int, int)" of PyTorch's `kernel_size`, `stride`, `padding` and
/// `dilation`. An integer literal gives both: `stride: 2` is `Pair2D(2, 2)`.
public struct Pair2D: Equatable, Hashable, Sendable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// Along the rows (H).
    public var height: Int
    /// Along the columns (W).
    public var width: Int

    /// `height` and `width` separately.
    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same value for both dimensions.
    public init(_ both: Int) { self.init(both, both) }

    /// The same value for both dimensions.
    public init(integerLiteral value: Int) { self.init(value, value) }

    public var description: String { height == width ? "\(height)" : "(\(height), \(width))" }
}
