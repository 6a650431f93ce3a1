extension Tensor {
    /// Layer normalization over the last dimension, fused:
    /// y = (x − μ) / √(σ² + eps) · weight + bias, with σ² the biased variance.
    /// `weight` and `bias` have shape [n]. The backward pass is fused too.
    public func layerNorm(weight: Tensor, bias: Tensor, eps: Float = 1e-12) -> Tensor {
        let n = shape.last ?? 1
        precondition(weight.shape == [n] && bias.shape == [n], "layerNorm: weight \(weight.shape) / bias \(bias.shape) for last dimension \(n)")
        let rows = count / Swift.max(n, 1)
        let p = storage.pointer, w = weight.storage.pointer, b = bias.storage.pointer
        // Per-row mean and reciprocal standard deviation, kept for backward.
        let stats = UnsafeMutablePointer<Float>.allocate(capacity: 2 * Swift.max(rows, 1))
        let statsBox = StatsBox(pointer: stats)
        let out = Tensor(shape: shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(rows, cost: n * 4) { r in
                for i in r {
                    let x = p + i * n, y = po + i * n
                    var mean: Float = 0
                    for j in 0..<n { mean += x[j] }
                    mean /= Float(n)
                    var v: Float = 0
                    for j in 0..<n { let d = x[j] - mean; v += d * d }
                    let rstd = 1 / (v / Float(n) + eps).squareRoot()
                    stats[2 * i] = mean
                    stats[2 * i + 1] = rstd
                    for j in 0..<n { y[j] = (x[j] - mean) * rstd * w[j] + b[j] }
                }
            }
        }
        let x = detached(), wt = weight.detached()
        return out.recorded("layerNorm", [self, weight, bias]) { g in
            let gp = g.storage.pointer, xp = x.storage.pointer, wp = wt.storage.pointer
            let st = statsBox.pointer
            let gx = Tensor.zeros(x.shape), gw = Tensor.zeros([n]), gb = Tensor.zeros([n])
            let gxp = gx.storage.pointer
            // dx per row: rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)), ĝ = g ⊙ w.
            Parallel.forRanges(rows, cost: n * 6) { r in
                for i in r {
                    let gr = gp + i * n, xr = xp + i * n, dr = gxp + i * n
                    let mean = st[2 * i], rstd = st[2 * i + 1]
                    var sg: Float = 0, sgx: Float = 0
                    for j in 0..<n {
                        let gh = gr[j] * wp[j]
                        let xh = (xr[j] - mean) * rstd
                        sg += gh
                        sgx += gh * xh
                    }
                    sg /= Float(n)
                    sgx /= Float(n)
                    for j in 0..<n {
                        let xh = (xr[j] - mean) * rstd
                        dr[j] = rstd * (gr[j] * wp[j] - sg - xh * sgx)
                    }
                }
            }
            // dweight, dbias: column sums, split over columns.
            let gwp = gw.storage.pointer, gbp = gb.storage.pointer
            Parallel.forRanges(n, cost: rows * 3) { cols in
                for i in 0..<rows {
                    let gr = gp + i * n, xr = xp + i * n
                    let mean = st[2 * i], rstd = st[2 * i + 1]
                    for j in cols {
                        gwp[j] += gr[j] * (xr[j] - mean) * rstd
                        gbp[j] += gr[j]
                    }
                }
            }
            return [gx, gw, gb]
        }
    }
}

/// Owns the per-row statistics a layer-norm backward needs.
final class StatsBox: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
    deinit { pointer.deallocate() }
}
