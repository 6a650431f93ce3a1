import FinchTensor

/// Helpers shared by the latent-factor models (svd, svdpp, als, bpr).
enum FactorSupport {
    /// `rows × width` values drawn from N(mean, std²), row after row.
    static func normal(rows: Int, width: Int, mean: Float, std: Float, rng: inout FinchRNG) -> [Float] {
        var out = [Float](repeating: 0, count: rows * width)
        for n in 0..<out.count { out[n] = mean + std * rng.nextNormal() }
        return out
    }

    /// A generator for re-initializing one row during fold-in, so that the
    /// result depends only on the seed, the side and the row index.
    static func rowRNG(seed: UInt64, side: UInt64, row: Int) -> FinchRNG {
        var rng = FinchRNG(seed: seed ^ (side &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(row) &* 0xD1B5_4A32_D192_ED03))
        _ = rng.next()
        return rng
    }

    /// scores[i] ← Q[i,:]·v for all `scores.count` rows of the row-major
    /// matrix Q (`width` columns), by one GEMV.
    static func scores(
        itemFactors q: [Float], width: Int, vector v: UnsafePointer<Float>, into scores: UnsafeMutableBufferPointer<Float>
    ) {
        let rows = scores.count
        guard rows > 0, width > 0 else { return }
        q.withUnsafeBufferPointer { qb in
            GEMM.sgemv(m: rows, n: width, a: qb.baseAddress!, lda: width, x: v, y: scores.baseAddress!)
        }
    }

    /// Cosine similarity between item `item`'s factor row and every item's.
    static func cosineSimilarities(
        itemFactors q: [Float], width: Int, item: Int, into out: UnsafeMutableBufferPointer<Float>
    ) {
        q.withUnsafeBufferPointer { qb in
            let base = qb.baseAddress!
            scores(itemFactors: q, width: width, vector: base + item * width, into: out)
            let own = Kernels.dot(base + item * width, base + item * width, width).squareRoot()
            for j in 0..<out.count {
                let norm = Kernels.dot(base + j * width, base + j * width, width).squareRoot() * own
                out[j] = norm > 0 ? out[j] / norm : 0
            }
        }
    }

    /// The user's rated items ordered by the cosine between their factor rows
    /// and `item`'s: the items whose factors align most with the recommendation.
    static func contributions(itemFactors q: [Float], width: Int, data: RatingMatrix, user: Int, item: Int) -> [Contribution] {
        guard user >= 0, user < data.userCount, item >= 0, item < data.itemCount else { return [] }
        var out: [Contribution] = []
        q.withUnsafeBufferPointer { qb in
            let base = qb.baseAddress!
            for n in data.byUser.range(ofRow: user) {
                let j = Int(data.byUser.indices[n])
                if j == item { continue }
                out.append(Contribution(item: j, weight: Kernels.cosine(base + item * width, base + j * width, width)))
            }
        }
        out.sort { $0.weight > $1.weight || ($0.weight == $1.weight && $0.item < $1.item) }
        return out
    }

    /// Grows a row-major matrix to `rows` rows; new rows are drawn from
    /// N(mean, std²) by `rowRNG` (zeros when std is 0).
    static func grow(_ m: inout [Float], width: Int, to rows: Int, mean: Float, std: Float, seed: UInt64, side: UInt64) {
        let old = m.count / Swift.max(width, 1)
        guard rows > old else { return }
        for r in old..<rows {
            var rng = rowRNG(seed: seed, side: side, row: r)
            for _ in 0..<width { m.append(mean + std * rng.nextNormal()) }
        }
    }
}
