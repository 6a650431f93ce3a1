extension Tensor {
    /// Fused affine map y = x·Wᵀ + b as `torch.nn.functional.linear`: `self`
    /// [..., in], `weight` [out, in] (checkpoint layout), `bias` [out]. The bias
    /// is written first and the GEMM accumulates onto it (β = 1), so the bias add
    /// costs no extra pass; Wᵀ is handed to BLAS as a transpose flag.
    public func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
        let inF = weight.shape[1], outF = weight.shape[0]
        precondition(shape.last == inF, "linear: input \(shape) does not end in \(inF)")
        if let bias { precondition(bias.shape == [outF], "linear: bias \(bias.shape) for \(outF) outputs") }
        let rows = count / Swift.max(inF, 1)
        let x = detached(), w = weight.detached(), b = bias?.detached()
        let out = Tensor(shape: Array(shape.dropLast()) + [outF]) { o in
            let po = o.baseAddress!
            if let b {
                let bp = b.storage.pointer
                for r in 0..<rows { (po + r * outF).update(from: bp, count: outF) }
            }
            gemmBatched(
                batch: 1, m: rows, n: outF, k: inF, a: x.storage.pointer, strideA: 0, transposeA: false,
                b: w.storage.pointer, strideB: 0, transposeB: true, c: po, strideC: 0, accumulate: b != nil)
        }
        var inputs = [self, weight]
        if let bias { inputs.append(bias) }
        return out.recorded("linear", inputs) { g in
            let g2 = g.reshaped([rows, outF])
            let gx = g2.matmul(w).reshaped(x.shape)  // [rows, in]
            let gw = g2.matmul(x.reshaped([rows, inF]), transposeA: true)  // [out, in]
            var grads: [Tensor?] = [gx, gw]
            if b != nil { grads.append(g2.sum(axis: 0)) }
            return grads
        }
    }
}
