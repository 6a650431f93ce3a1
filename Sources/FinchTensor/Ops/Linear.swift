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
        // Only the gradients some input needs: a frozen layer (fine-tuning a
        // head, explaining a model) skips the weight GEMM, a third of the work.
        let needs = inputs.map(\.requiresGrad)
        return out.recorded("linear", inputs) { g in
            let g2 = g.reshaped([rows, outF])
            let gx = needs[0] ? g2.matmul(w).reshaped(x.shape) : nil  // [rows, in]
            let gw = needs[1] ? g2.matmul(x.reshaped([rows, inF]), transposeA: true) : nil  // [out, in]
            var grads: [Tensor?] = [gx, gw]
            if b != nil { grads.append(needs[2] ? g2.sum(axis: 0) : nil) }
            return grads
        }
    }
}
