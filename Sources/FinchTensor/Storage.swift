/// Contiguous Float32 memory shared by tensors.
///
/// A `Tensor` is a value: its shape plus a reference to one of these. Ops never
/// write into an input's storage; the only in-place writers are optimizers and
/// loaders, which own the parameters they update.
public final class TensorStorage: @unchecked Sendable {
    /// First element. Aligned to 64 bytes when Finch allocated it.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of Float32 elements.
    public let count: Int
    /// Keeps foreign memory (a memory-mapped file) alive; nil when Finch owns it.
    private let owner: AnyObject?
    /// The pool's size of this buffer when it came from `StoragePool`, else 0.
    private let pooledSize: Int

    /// Allocates `count` uninitialized elements (large buffers come from
    /// `StoragePool` and may hold values of an earlier tensor).
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "negative element count")
        let bytes = max(count, 1) * 4
        let raw: UnsafeMutableRawPointer
        if let size = StoragePool.pooledSize(bytes) {
            raw = StoragePool.acquire(size)
            pooledSize = size
        } else {
            raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            pooledSize = 0
        }
        self.pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        self.count = count
        self.owner = nil
    }

    /// Allocates `count` elements set to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    /// Copies `values`.
    public convenience init<C: Collection>(copying values: C) where C.Element == Float {
        self.init(uninitializedCount: values.count)
        var i = 0
        for v in values {
            pointer[i] = v
            i += 1
        }
    }

    /// Wraps memory that `owner` keeps alive (for example a mapped file).
    public init(borrowing pointer: UnsafeMutablePointer<Float>, count: Int, owner: AnyObject) {
        self.pointer = pointer
        self.count = count
        self.owner = owner
        self.pooledSize = 0
    }

    deinit {
        guard owner == nil else { return }
        if pooledSize > 0 {
            StoragePool.release(UnsafeMutableRawPointer(pointer), size: pooledSize)
        } else {
            UnsafeMutableRawPointer(pointer).deallocate()
        }
    }

    /// The elements as a read-only buffer.
    @inlinable public var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: pointer, count: count) }
    /// The elements as a mutable buffer.
    @inlinable public var mutableBuffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }
}
