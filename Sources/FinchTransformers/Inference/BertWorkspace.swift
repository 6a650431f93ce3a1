/// Scratch memory for `BertModel.inference(_:workspace:)`: the hidden
/// states, Q/K/V, attention context and feed-forward activations of one
/// batch, reused by every layer and by later calls (buffers only grow).
/// One workspace serves one forward pass at a time; it is not thread-safe.
public final class BertWorkspace {
    enum Slot: Int, CaseIterable {
        case hidden, query, key, value, context, residual, intermediate, maskBias, pooled
    }

    private var pointers: [UnsafeMutablePointer<Float>?]
    private var capacities: [Int]

    /// An empty workspace; the first forward pass sizes it.
    public init() {
        pointers = Array(repeating: nil, count: Slot.allCases.count)
        capacities = Array(repeating: 0, count: Slot.allCases.count)
    }

    deinit {
        for p in pointers { p.map { UnsafeMutableRawPointer($0).deallocate() } }
    }

    /// Floats currently held across all buffers.
    public var capacity: Int { capacities.reduce(0, +) }

    /// A buffer of at least `count` floats for `slot`, 64-byte aligned; its
    /// contents are unspecified after growth.
    func buffer(_ slot: Slot, count: Int) -> UnsafeMutablePointer<Float> {
        let i = slot.rawValue
        if let p = pointers[i], capacities[i] >= count { return p }
        pointers[i].map { UnsafeMutableRawPointer($0).deallocate() }
        let n = max(count, 16)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Float>.stride, alignment: 64)
        let p = raw.bindMemory(to: Float.self, capacity: n)
        pointers[i] = p
        capacities[i] = n
        return p
    }
}
