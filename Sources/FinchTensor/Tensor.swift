/// An n-dimensional Float32 array: a shape and a reference to contiguous,
/// row-major storage. Every op computes its result at once; when an input
/// requires a gradient (and recording is on), the op also records how to
/// propagate gradients back (see `backward()`).
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
    /// Dimensions, outermost first. `[]` is a scalar.
    public let shape: [Int]
    /// The elements, row-major; may be shared with other tensors (reshape).
    public let storage: TensorStorage
    /// Autodiff bookkeeping; nil for constants.
    public internal(set) var node: AutogradNode?

    /// Wraps `storage` (which must hold exactly `Shape.count(shape)` elements).
    public init(shape: [Int], storage: TensorStorage) {
        precondition(
            storage.count == Shape.count(shape), "storage holds \(storage.count) elements, shape \(shape) needs \(Shape.count(shape))")
        self.shape = shape
        self.storage = storage
        self.node = nil
    }

    /// A tensor of `shape` holding `values` (row-major).
    public init(shape: [Int], values: [Float]) {
        precondition(values.count == Shape.count(shape), "\(values.count) values for shape \(shape)")
        self.init(shape: shape, storage: TensorStorage(copying: values))
    }

    /// A 1-D tensor.
    public init(_ values: [Float]) { self.init(shape: [values.count], values: values) }

    /// A scalar.
    public init(scalar: Float) { self.init(shape: [], values: [scalar]) }

    /// A tensor whose elements are written by `fill` into uninitialized memory.
    @inlinable
    public init(shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) -> Void) {
        let storage = TensorStorage(uninitializedCount: Shape.count(shape))
        fill(storage.mutableBuffer)
        self.init(shape: shape, storage: storage)
    }

    /// Zeros.
    public static func zeros(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(count: Shape.count(shape), repeating: 0))
    }
    /// Ones.
    public static func ones(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(count: Shape.count(shape), repeating: 1))
    }
    /// Every element `value`.
    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(count: Shape.count(shape), repeating: value))
    }
    /// Normal(mean, std) samples from `rng`.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout FinchRNG) -> Tensor {
        var values = [Float](repeating: 0, count: Shape.count(shape))
        for i in values.indices { values[i] = mean + std * rng.nextNormal() }
        return Tensor(shape: shape, values: values)
    }
    /// Uniform [low, high) samples from `rng`.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1, rng: inout FinchRNG) -> Tensor {
        var values = [Float](repeating: 0, count: Shape.count(shape))
        for i in values.indices { values[i] = low + (high - low) * rng.nextUniform() }
        return Tensor(shape: shape, values: values)
    }
    /// 0, 1, …, n-1.
    public static func arange(_ n: Int) -> Tensor { Tensor((0..<n).map(Float.init)) }

    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// The elements, row-major.
    public var scalars: [Float] { Array(storage.buffer) }
    /// The single element of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item needs one element, shape is \(shape)")
        return storage.pointer[0]
    }
    /// Element at a multi-index.
    public subscript(_ index: Int...) -> Float {
        precondition(index.count == rank, "index \(index) for shape \(shape)")
        let st = Shape.strides(shape)
        var off = 0
        for (i, v) in index.enumerated() {
            precondition(v >= 0 && v < shape[i], "index \(index) out of range for shape \(shape)")
            off += v * st[i]
        }
        return storage.pointer[off]
    }

    /// Read-only access to the elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(storage.buffer)
    }

    /// Writes into the storage in place. Shared with every tensor that shares
    /// the storage; meant for optimizers and loaders.
    @inlinable
    public func withUnsafeMutableStorage<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(storage.mutableBuffer)
    }

    /// A copy with fresh storage and no autodiff history.
    public func copy() -> Tensor {
        Tensor(shape: shape) { out in
            out.baseAddress!.update(from: storage.pointer, count: count)
        }
    }

    public var description: String {
        let head = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(head)\(count > 8 ? ", …" : "")])"
    }
}
