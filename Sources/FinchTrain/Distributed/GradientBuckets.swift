import FinchDistributed
import FinchNN
import FinchTensor

/// Sums the trainable parameters' gradients across ranks, in buckets: consecutive
/// gradients are packed into one message up to `bucketElements` floats; a gradient larger
/// than a bucket is reduced in place in pieces of that size. A parameter that got no
/// gradient on any rank keeps none (AdamW then skips it, as in one process); one that got
/// a gradient on some rank only is reduced with zeros elsewhere.
enum GradientBuckets {
    /// Reduces every gradient of `parameters` across `communicator`'s ranks (sum).
    static func allreduce(_ parameters: [(name: String, parameter: Parameter)], communicator: any Communicator, bucketElements: Int)
        throws
    {
        var present = parameters.map { $0.parameter.grad == nil ? 0.0 : 1.0 }
        try present.withUnsafeMutableBufferPointer { try communicator.allreduce($0, .max) }
        // Fresh storage per gradient: a gradient may share storage with another tensor.
        var grads: [Tensor] = []
        for (index, entry) in parameters.enumerated() where present[index] > 0 {
            guard let node = entry.parameter.value.node else { continue }
            let old = node.grad
            let fresh = Tensor(shape: entry.parameter.shape) { out in
                if let old {
                    out.baseAddress!.update(from: old.storage.pointer, count: out.count)
                } else {
                    out.initialize(repeating: 0)
                }
            }
            node.grad = fresh
            grads.append(fresh)
        }
        let capacity = Swift.max(bucketElements, 1)
        var staging = [Float](repeating: 0, count: capacity)
        var pending: [Tensor] = []
        var filled = 0
        func flush() throws {
            guard filled > 0 else { return }
            try staging.withUnsafeMutableBufferPointer { s in
                let bucket = UnsafeMutableBufferPointer(rebasing: s[0..<filled])
                try communicator.allreduce(bucket, .sum)
                var offset = 0
                for g in pending {
                    g.storage.pointer.update(from: s.baseAddress! + offset, count: g.count)
                    offset += g.count
                }
            }
            pending.removeAll(keepingCapacity: true)
            filled = 0
        }
        for g in grads {
            if g.count > capacity {
                try flush()
                var start = 0
                while start < g.count {
                    let n = Swift.min(capacity, g.count - start)
                    try communicator.allreduce(UnsafeMutableBufferPointer(start: g.storage.pointer + start, count: n), .sum)
                    start += n
                }
                continue
            }
            if filled + g.count > capacity { try flush() }
            staging.withUnsafeMutableBufferPointer { s in (s.baseAddress! + filled).update(from: g.storage.pointer, count: g.count) }
            filled += g.count
            pending.append(g)
        }
        try flush()
    }
}
