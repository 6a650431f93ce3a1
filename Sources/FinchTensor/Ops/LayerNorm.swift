import CFinchKernels

extension Tensor {
    /// Layer normalization over the last dimension, fused:
    /// y = (x − μ) / √(σ² + eps) · weight + bias, with σ² the biased variance.
    /// `weight` and `bias` have shape [n]. The backward pass is fused too and
    /// reuses the per-row mean and 1/σ saved by the forward pass.
    public func layerNorm(weight: Tensor, bias: Tensor, eps: Float = 1e-12) -> Tensor {
        let n = shape.last ?? 1
        precondition(
            weight.shape == [n] && bias.shape == [n], "layerNorm: weight \(weight.shape) / bias \(bias.shape) for last dimension \(n)")
        let rows = count / Swift.max(n, 1)
        let p = storage.pointer, w = weight.storage.pointer, b = bias.storage.pointer
        let stats = Tensor(shape: [rows, 2]) { _ in }
        let sp = stats.storage.pointer
        let out = Tensor(shape: shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(rows, cost: n * 3) { r in
                finch_layer_norm_rows(p + r.lowerBound * n, w, b, po + r.lowerBound * n, sp + 2 * r.lowerBound, r.count, n, eps)
            }
        }
        let x = detached(), wt = weight.detached()
        return out.recorded("layerNorm", [self, weight, bias]) { g in
            let gp = g.storage.pointer, xp = x.storage.pointer, wp = wt.storage.pointer, st = stats.storage.pointer
            let gx = Tensor(shape: x.shape) { _ in }
            let gxp = gx.storage.pointer
            Parallel.forRanges(rows, cost: n * 4) { r in
                let o = r.lowerBound
                finch_layer_norm_backward_rows(gp + o * n, xp + o * n, wp, st + 2 * o, gxp + o * n, r.count, n)
            }
            // Parameter gradients: per-thread partial sums over row blocks, then added.
            let blocks = Swift.min(Parallel.threadCount, Swift.max(1, rows * n / Parallel.defaultGrain))
            let partial = Tensor.zeros([blocks, 2, n])
            let pp = partial.storage.pointer
            Parallel.forRanges(blocks, cost: Parallel.defaultGrain) { r in
                for blk in r {
                    let lo = rows * blk / blocks, hi = rows * (blk + 1) / blocks
                    finch_layer_norm_param_grads(gp + lo * n, xp + lo * n, st + 2 * lo, pp + blk * 2 * n, pp + blk * 2 * n + n, hi - lo, n)
                }
            }
            let sums = blocks == 1 ? partial.reshaped([2, n]) : partial.sum(axis: 0)
            return [gx, sums.slice(axis: 0, 0..<1).reshaped([n]), sums.slice(axis: 0, 1..<2).reshaped([n])]
        }
    }
}
