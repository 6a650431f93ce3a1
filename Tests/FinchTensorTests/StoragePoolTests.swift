import Foundation
import Testing

@testable import FinchTensor

/// The pool of large tensor buffers: a freed buffer is reused for the next
/// request of its size, what it held never leaks into tensors that promise
/// values, small buffers bypass it, and it keeps no more than its capacity.
@Suite struct StoragePoolTests {
    // Sizes no other test allocates, so parallel tests cannot take the buffer in between.
    static let count = (StoragePool.minimumBytes + 37 * 4096) / 4 + 3

    @Test func aFreedLargeBufferIsReusedForTheSameSize() throws {
        guard StoragePool.capacityBytes > 0 else { return }
        var first: TensorStorage? = TensorStorage(uninitializedCount: Self.count)
        let address = first!.pointer
        first!.pointer.update(repeating: 7, count: Self.count)
        first = nil
        let second = TensorStorage(uninitializedCount: Self.count - 1)  // same rounded size
        #expect(second.pointer == address, "the freed buffer was not reused")
        #expect(StoragePool.pooledSize(4 * (Self.count - 1)) == StoragePool.pooledSize(4 * Self.count))
    }

    @Test func reusedBuffersHoldTheValuesTheirTensorsPromise() {
        let n = Self.count + 2048
        var dirty: TensorStorage? = TensorStorage(count: n, repeating: .nan)
        dirty = nil
        let zeros = TensorStorage(count: n, repeating: 0)
        #expect(zeros.buffer.allSatisfy { $0 == 0 })
        let copied = TensorStorage(copying: (0..<n).map { Float($0 % 97) })
        #expect(copied.buffer.enumerated().allSatisfy { $0.element == Float($0.offset % 97) })
        _ = dirty
    }

    @Test func smallBuffersBypassThePoolAndTheCapacityHolds() {
        #expect(StoragePool.pooledSize(StoragePool.minimumBytes - 4) == nil)
        #expect(StoragePool.pooledSize(StoragePool.minimumBytes) == StoragePool.minimumBytes)
        // Free more than the capacity at once: the pool keeps at most its capacity.
        let size = StoragePool.pooledSize(64 << 20)!
        let buffers = (0..<(StoragePool.capacityBytes / size + 2)).map { _ in StoragePool.acquire(size) }
        for b in buffers { StoragePool.release(b, size: size) }
        #expect(StoragePool.heldBytes <= StoragePool.capacityBytes)
    }
}
