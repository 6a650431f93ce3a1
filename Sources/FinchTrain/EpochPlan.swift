import FinchTensor

/// The order of examples in one epoch, as batches of indices. A function of
/// (seed, epoch) only, so a resumed run rebuilds exactly the same batches.
public enum EpochPlan {
    /// Shuffles indices with a generator seeded from (seed, epoch); with
    /// bucketing, sorts pools of 50 batches by length (longest first) so each
    /// batch needs little padding, then shuffles the batch order.
    public static func batches(lengths: [Int], batchSize: Int, seed: UInt64, epoch: Int, bucketing: Bool) -> [[Int]] {
        var rng = FinchRNG(seed: seed &+ 0x9E37_79B9 &* UInt64(epoch + 1))
        var order = Array(lengths.indices)
        order.shuffle(using: &rng)
        guard bucketing else { return chunks(order, batchSize) }
        let pool = batchSize * 50
        var out: [[Int]] = []
        var start = 0
        while start < order.count {
            let end = Swift.min(start + pool, order.count)
            let sorted = order[start..<end].sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
            out += chunks(sorted, batchSize)
            start = end
        }
        out.shuffle(using: &rng)
        return out
    }

    static func chunks(_ xs: [Int], _ size: Int) -> [[Int]] {
        stride(from: 0, to: xs.count, by: size).map { Array(xs[$0..<Swift.min($0 + size, xs.count)]) }
    }
}
