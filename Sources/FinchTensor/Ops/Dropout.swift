import CFinchKernels

extension Tensor {
    /// Inverted dropout: zeroes each element with probability `p` and scales the
    /// rest by 1/(1−p). Identity when `p` is 0.
    ///
    /// The mask is counter-based: one draw from `rng` gives a key, and element
    /// i keeps its value when SplitMix64(key + i) falls below 1 − p. So the mask
    /// is the same whatever the thread count, is computed in parallel, and is
    /// recomputed in the backward pass instead of being stored.
    public func dropout(p: Float, rng: inout FinchRNG) -> Tensor {
        precondition(p >= 0 && p < 1, "dropout probability \(p) must be in [0, 1)")
        if p == 0 { return self }
        let key = rng.next()
        let threshold = UInt64((1 - p) * 16_777_216)  // keep when the top 24 bits are below this
        let scale = 1 / (1 - p)
        let n = count
        let out = DropoutMask.apply(storage.pointer, count: n, key: key, threshold: threshold, scale: scale)
        return Tensor(shape: shape, storage: out).recorded("dropout", [self]) { g in
            [Tensor(shape: g.shape, storage: DropoutMask.apply(g.storage.pointer, count: n, key: key, threshold: threshold, scale: scale))]
        }
    }
}

/// The counter-based dropout mask.
enum DropoutMask {
    /// The mask's 24 bits for element i, written out: the reference `finch_dropout`
    /// (which `apply` runs) is tested against.
    static func bits(_ key: UInt64, _ i: Int) -> UInt64 {
        var z = key &+ UInt64(truncatingIfNeeded: i + 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (z ^ (z >> 31)) >> 40
    }

    /// y[i] = x[i]·scale where element i is kept, else 0.
    static func apply(_ x: UnsafeMutablePointer<Float>, count n: Int, key: UInt64, threshold: UInt64, scale: Float) -> TensorStorage {
        let out = TensorStorage(uninitializedCount: n)
        let y = out.pointer
        Parallel.forRanges(n, cost: 2) { r in
            finch_dropout(x + r.lowerBound, y + r.lowerBound, r.lowerBound, r.count, key, threshold, scale)
        }
        return out
    }
}
