import FinchTensor

/// The dense side of retrieval: one unit vector per FAQ text; an entry's
/// score for a query is the best cosine of its texts.
public struct DenseFAQIndex: Sendable {
    /// Which entry each row belongs to.
    public let owners: [Int]
    /// Number of entries scored (owners are below it).
    public let entryCount: Int
    /// Vector width.
    public let dimension: Int
    /// [owners.count × dimension], rows L2-normalized.
    public let vectors: [Float]

    /// An index of `rows` ([owners.count, dimension], any length; normalized
    /// here) belonging to `owners`.
    public init(owners: [Int], entryCount: Int, rows: [Float], dimension: Int) {
        precondition(rows.count == owners.count * dimension, "one row of \(dimension) values per text")
        precondition(owners.allSatisfy { $0 >= 0 && $0 < entryCount }, "owners are entry positions")
        self.owners = owners
        self.entryCount = entryCount
        self.dimension = dimension
        self.vectors = DenseFAQIndex.normalized(rows, dimension: dimension)
    }

    /// The index of the rows of this one for which `keep` is true.
    public func subset(keeping keep: [Bool]) -> DenseFAQIndex {
        var rows: [Float] = []
        var kept: [Int] = []
        for (t, k) in keep.enumerated() where k {
            kept.append(owners[t])
            rows.append(contentsOf: vectors[(t * dimension)..<((t + 1) * dimension)])
        }
        return DenseFAQIndex(owners: kept, entryCount: entryCount, rows: rows, dimension: dimension)
    }

    /// Each entry's best cosine with `query` (any length); −∞ for an entry with no text.
    public func entryScores(_ query: [Float]) -> [Double] {
        precondition(query.count == dimension, "query has \(query.count) values, the index \(dimension)")
        let q = DenseFAQIndex.normalized(query, dimension: dimension)
        let n = owners.count
        var cosines = [Float](repeating: 0, count: n)
        if n > 0 {
            vectors.withUnsafeBufferPointer { a in
                q.withUnsafeBufferPointer { x in
                    cosines.withUnsafeMutableBufferPointer { y in
                        GEMM.sgemv(m: n, n: dimension, a: a.baseAddress!, lda: dimension, x: x.baseAddress!, y: y.baseAddress!)
                    }
                }
            }
        }
        var best = [Double](repeating: -.infinity, count: entryCount)
        for t in 0..<n where Double(cosines[t]) > best[owners[t]] { best[owners[t]] = Double(cosines[t]) }
        return best
    }

    static func normalized(_ rows: [Float], dimension d: Int) -> [Float] {
        var out = rows
        let count = d == 0 ? 0 : rows.count / d
        out.withUnsafeMutableBufferPointer { p in
            for r in 0..<count {
                var s: Float = 0
                for j in 0..<d { s += p[r * d + j] * p[r * d + j] }
                let inv = s > 0 ? 1 / s.squareRoot() : 0
                for j in 0..<d { p[r * d + j] *= inv }
            }
        }
        return out
    }
}
