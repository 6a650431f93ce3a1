import FinchTensor

/// One-sided SGD used by fold-in of `svd` and `svdpp`.
enum FoldInSGD {
    /// What every re-solved row shares.
    struct Settings {
        var k: Int
        var mu: Float
        var biased: Bool
        var epochs: Int
        var seed: UInt64
        var initMean: Float
        var initStd: Float

        /// Grows a factor matrix (new rows drawn from the initialization by
        /// `FactorSupport.rowRNG` on `side`) and its biases (zeros) to `rows` rows.
        func grow(_ factors: inout [Float], _ bias: inout [Float], rows: Int, side: UInt64) {
            FactorSupport.grow(&factors, width: k, to: rows, mean: initMean, std: initStd, seed: seed, side: side)
            bias.resize(to: rows)
        }
    }

    /// Re-learns every row in `list` (see `solveRow`); each restarts from the
    /// initialization drawn for (`seed`, `side`, row). `shift(row)` is SVD++'s
    /// fixed implicit term (nil for none).
    static func solveRows(
        _ rows: SparseRows, _ list: [Int], side: UInt64, own: inout [Float], ownBias: inout [Float], other: [Float],
        otherBias: [Float], otherKnown: (Int) -> Bool, lr: (bias: Float, factor: Float), reg: (bias: Float, factor: Float),
        settings s: Settings, shift: (Int) -> [Float]? = { _ in nil }
    ) {
        for row in list {
            solveRow(
                rows: rows, row: row, own: &own, ownBias: &ownBias, other: other, otherBias: otherBias, otherKnown: otherKnown,
                k: s.k, mu: s.mu, biased: s.biased, epochs: s.epochs, lr: lr, reg: reg,
                initialize: { FactorSupport.rowRNG(seed: s.seed, side: side, row: $0) }, initMean: s.initMean, initStd: s.initStd,
                shift: shift(row))
        }
    }

    /// Re-learns row `row` of `own` (and its bias) from `rows[row]` against the
    /// fixed `other` side. `shift`, when given, is added to the own vector in
    /// the prediction but not learnt (SVD++'s implicit term).
    static func solveRow(
        rows: SparseRows, row: Int, own: inout [Float], ownBias: inout [Float], other: [Float], otherBias: [Float],
        otherKnown: (Int) -> Bool, k: Int, mu: Float, biased: Bool, epochs: Int, lr: (bias: Float, factor: Float),
        reg: (bias: Float, factor: Float), initialize: (Int) -> FinchRNG, initMean: Float, initStd: Float,
        shift: [Float]? = nil
    ) {
        var rng = initialize(row)
        var p = (0..<k).map { _ in initMean + initStd * rng.nextNormal() }
        var b: Float = 0
        let range = rows.range(ofRow: row)
        var scratch = [Float](repeating: 0, count: k)
        p.withUnsafeMutableBufferPointer { pb in
            other.withUnsafeBufferPointer { qb in
                scratch.withUnsafeMutableBufferPointer { sb in
                    for _ in 0..<epochs {
                        for n in range {
                            let j = Int(rows.indices[n])
                            if !otherKnown(j) { continue }
                            let q = qb.baseAddress! + j * k
                            var dot = Kernels.dot(pb.baseAddress!, q, k)
                            if let shift { dot += shift.withUnsafeBufferPointer { Kernels.dot($0.baseAddress!, q, k) } }
                            let err = rows.values[n] - (mu + b + (biased ? otherBias[j] : 0) + dot)
                            if biased { b += lr.bias * (err - reg.bias * b) }
                            // p += lr·(err·q − reg·p), q fixed.
                            for f in 0..<k { sb[f] = err * q[f] - reg.factor * pb[f] }
                            Kernels.axpy(lr.factor, sb.baseAddress!, pb.baseAddress!, k)
                        }
                    }
                }
            }
        }
        own.replaceSubrange((row * k)..<((row + 1) * k), with: p)
        ownBias[row] = biased ? b : 0
    }
}
