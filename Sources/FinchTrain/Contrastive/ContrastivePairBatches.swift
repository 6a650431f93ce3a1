import FinchTensor

/// One training pair of contrastive fine-tuning: a text (a query) and the
/// text it should be closest to (the question of the entry it belongs to).
public struct ContrastivePair: Sendable, Equatable, Hashable, Codable {
    /// The query side.
    public var anchor: String
    /// The text the anchor should retrieve.
    public var positive: String

    public init(anchor: String, positive: String) {
        self.anchor = anchor
        self.positive = positive
    }
}

/// Batches of pairs with no text twice in one batch, as sentence-transformers'
/// `NoDuplicatesDataLoader` (and `NoDuplicatesBatchSampler`) builds them for
/// in-batch negatives: with two queries of the same entry in a batch, each
/// one's positive would be a (false) negative of the other.
public enum ContrastivePairBatches {
    /// The pairs' indices in batches of at most `batchSize`: the pairs are
    /// shuffled with `seed`, then each batch takes, in that order, the
    /// remaining pairs none of whose texts (anchor or positive) is already in
    /// it; pairs left out wait for a later batch. Every pair lands in exactly
    /// one batch; a batch is smaller than `batchSize` only when the pairs
    /// left cannot fill it (the last batches, or many pairs sharing a text).
    public static func batches(_ pairs: [ContrastivePair], batchSize: Int, seed: UInt64) -> [[Int]] {
        precondition(batchSize > 0, "batch size must be at least 1")
        var rng = FinchRNG(seed: seed)
        var remaining = Array(pairs.indices)
        for i in stride(from: remaining.count - 1, to: 0, by: -1) { remaining.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var out: [[Int]] = []
        while !remaining.isEmpty {
            var batch: [Int] = []
            var texts = Set<String>()
            var left: [Int] = []
            for index in remaining {
                let pair = pairs[index]
                if batch.count < batchSize && !texts.contains(pair.anchor) && !texts.contains(pair.positive) {
                    batch.append(index)
                    texts.insert(pair.anchor)
                    texts.insert(pair.positive)
                } else {
                    left.append(index)
                }
            }
            out.append(batch)
            remaining = left
        }
        return out
    }
}
