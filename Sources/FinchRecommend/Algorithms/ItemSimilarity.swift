import FinchTensor

/// Item–item similarity measures over co-rating users, as Surprise computes
/// them (`similarities.pyx`, item-based: x = items, y = users).
public enum ItemSimilarity: String, Sendable, CaseIterable, Codable {
    /// Σ r_ui r_uj / √(Σ r_ui² · Σ r_uj²) over common users.
    case cosine
    /// Pearson correlation of the common users' ratings (0 when a variance is 0).
    case pearson
    /// Σ d_ui d_uj / √(Σ d_ui² · Σ d_uj²) with d = r − (μ + b_u + b_i), shrunk by
    /// (n − 1)/(n − 1 + shrinkage); needs at least 2 common users.
    case pearsonBaseline = "pearson_baseline"
}

/// Computes rows of a dense item × item similarity matrix.
///
/// Row xᵢ is built from xᵢ's raters: for each user u of item i, every item j
/// that u rated adds to j's accumulators. Work is Σ_u |I_u|² overall, rows
/// are independent, so they run in parallel with per-thread accumulators.
/// `shrinkage` multiplies by (n − 1)/(n − 1 + shrinkage) (n = common users);
/// Surprise shrinks only `pearson_baseline`; Finch allows it for all three
/// (default 0 for cosine and pearson). Below `minSupport` common users the
/// similarity is 0; a zero denominator gives 0 (Surprise would give NaN).
struct SimilarityBuilder {
    let kind: ItemSimilarity
    let shrinkage: Float
    let minSupport: Int
    let globalMean: Float
    let userBias: [Float]
    let itemBias: [Float]

    /// Writes rows `rows` (all when nil) into `out` (n×n row-major, n = itemCount).
    func computeRows(_ data: RatingMatrix, rows: [Int]?, into out: UnsafeMutablePointer<Float>) {
        let n = data.itemCount
        let count = rows?.count ?? n
        let averageWork = data.ratingCount / Swift.max(n, 1) * (data.ratingCount / Swift.max(data.userCount, 1) + 1)
        let list = rows ?? []
        let minimum = kind == .pearsonBaseline ? Swift.max(2, minSupport) : minSupport
        let kind = self.kind, shrinkage = Double(self.shrinkage), mu = globalMean
        userBias.withUnsafeBufferPointer { BU in
            itemBias.withUnsafeBufferPointer { BI in
                list.withUnsafeBufferPointer { L in
                    data.byItem.withBuffers { ir in
                        data.byUser.withBuffers { ur in
                            BlockScheduler.forEachBlock(count, cost: averageWork + n) { range in
                                // freq, prods, sqi, sqj, si, sj per column + the touched list.
                                let acc = UnsafeMutablePointer<Double>.allocate(capacity: 6 * n)
                                acc.initialize(repeating: 0, count: 6 * n)
                                let touched = UnsafeMutablePointer<Int32>.allocate(capacity: n)
                                defer {
                                    acc.deallocate()
                                    touched.deallocate()
                                }
                                let freq = acc, prods = acc + n, sqi = acc + 2 * n, sqj = acc + 3 * n
                                let si = acc + 4 * n, sj = acc + 5 * n
                                for r in range {
                                    let xi = L.isEmpty ? r : L[r]
                                    var touchedCount = 0
                                    for a in ir.offsets[xi]..<ir.offsets[xi + 1] {
                                        let u = Int(ir.indices[a])
                                        let ri = ir.values[a]
                                        let partial = mu + (BU.isEmpty ? 0 : BU[u])
                                        let di = Double(ri - (partial + (BI.isEmpty ? 0 : BI[xi])))
                                        for b in ur.offsets[u]..<ur.offsets[u + 1] {
                                            let xj = Int(ur.indices[b])
                                            let rj = ur.values[b]
                                            if freq[xj] == 0 {
                                                touched[touchedCount] = Int32(xj)
                                                touchedCount += 1
                                            }
                                            freq[xj] += 1
                                            switch kind {
                                            case .pearsonBaseline:
                                                let dj = Double(rj - (partial + BI[xj]))
                                                prods[xj] += di * dj
                                                sqi[xj] += di * di
                                                sqj[xj] += dj * dj
                                            case .cosine, .pearson:
                                                let a = Double(ri), b = Double(rj)
                                                prods[xj] += a * b
                                                sqi[xj] += a * a
                                                sqj[xj] += b * b
                                                si[xj] += a
                                                sj[xj] += b
                                            }
                                        }
                                    }
                                    let row = out + xi * n
                                    for j in 0..<n { row[j] = 0 }
                                    for t in 0..<touchedCount {
                                        let xj = Int(touched[t])
                                        let f = freq[xj]
                                        var s = 0.0
                                        if f >= Double(minimum) {
                                            switch kind {
                                            case .cosine:
                                                let d = (sqi[xj] * sqj[xj]).squareRoot()
                                                s = d > 0 ? prods[xj] / d : 0
                                            case .pearson:
                                                let num = f * prods[xj] - si[xj] * sj[xj]
                                                let d = ((f * sqi[xj] - si[xj] * si[xj]) * (f * sqj[xj] - sj[xj] * sj[xj])).squareRoot()
                                                s = d > 0 ? num / d : 0
                                            case .pearsonBaseline:
                                                let d = (sqi[xj] * sqj[xj]).squareRoot()
                                                s = d > 0 ? prods[xj] / d : 0
                                            }
                                            if shrinkage > 0 { s *= (f - 1) / (f - 1 + shrinkage) }
                                        }
                                        row[xj] = Float(s)
                                        freq[xj] = 0
                                        prods[xj] = 0
                                        sqi[xj] = 0
                                        sqj[xj] = 0
                                        si[xj] = 0
                                        sj[xj] = 0
                                    }
                                    row[xi] = 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
