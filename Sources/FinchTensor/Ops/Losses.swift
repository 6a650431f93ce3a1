#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Tensor {
    /// Mean cross-entropy of `self` as logits [N, C] against class `targets`,
    /// as `torch.nn.functional.cross_entropy`: targets equal to `ignoreIndex`
    /// contribute nothing; with `classWeights` [C] the mean is weighted,
    /// Σ w[yᵢ]·nllᵢ / Σ w[yᵢ]. Returns 0 when every target is ignored.
    public func crossEntropy(targets: [Int], ignoreIndex: Int = -100, classWeights: Tensor? = nil) -> Tensor {
        precondition(rank == 2, "crossEntropy expects logits [N, C], got \(shape)")
        let rows = shape[0], classes = shape[1]
        precondition(targets.count == rows, "crossEntropy: \(targets.count) targets for \(rows) rows")
        if let w = classWeights { precondition(w.shape == [classes], "class weights \(w.shape) for \(classes) classes") }
        for t in targets where t != ignoreIndex {
            precondition(t >= 0 && t < classes, "target \(t) out of range for \(classes) classes")
        }
        let logp = self.detached().logSoftmax()
        let lp = logp.storage.pointer
        let wp = classWeights?.storage.pointer
        var total: Double = 0, norm: Double = 0
        for (i, t) in targets.enumerated() where t != ignoreIndex {
            let w = Double(wp?[t] ?? 1)
            total -= w * Double(lp[i * classes + t])
            norm += w
        }
        let loss = Tensor(scalar: norm > 0 ? Float(total / norm) : 0)
        let denom = Float(norm)
        return loss.recorded("crossEntropy", [self]) { g in
            let lp = logp.storage.pointer
            let wp = classWeights?.storage.pointer
            let scale = denom > 0 ? g.item / denom : 0
            return [
                Tensor(shape: [rows, classes]) { o in
                    let po = o.baseAddress!
                    for (i, t) in targets.enumerated() {
                        let row = po + i * classes
                        if t == ignoreIndex {
                            for j in 0..<classes { row[j] = 0 }
                            continue
                        }
                        let w = (wp?[t] ?? 1) * scale
                        for j in 0..<classes { row[j] = expf(lp[i * classes + j]) * w }
                        row[t] -= w
                    }
                }
            ]
        }
    }

    /// Mean negative log-likelihood of log-probabilities [N, C].
    public func nllLoss(targets: [Int], ignoreIndex: Int = -100) -> Tensor {
        precondition(rank == 2, "nllLoss expects [N, C], got \(shape)")
        let classes = shape[1]
        let picked = targets.enumerated().filter { $0.element != ignoreIndex }
        if picked.isEmpty { return Tensor(scalar: 0) }
        let flat = reshaped([count, 1])
        let rows = flat.gatherRows(picked.map { $0.offset * classes + $0.element })
        return -rows.mean()
    }

    /// Kullback–Leibler divergence KL(q ‖ p) of `self` as log-probabilities
    /// log p [N, C] from a target distribution given as log-probabilities
    /// `logTarget` log q [N, C], summed over classes and averaged over rows:
    /// Σᵢⱼ qᵢⱼ (log qᵢⱼ − log pᵢⱼ) / N. This is PyTorch's
    /// `kl_div(input, target, reduction="batchmean", log_target=True)`, the
    /// soft-label term of knowledge distillation (Hinton et al. 2015). The
    /// target is a constant (no gradient flows into it); the gradient with
    /// respect to log p is −q / N. Taking the target as log-probabilities keeps
    /// a class whose q underflows to 0 finite (0 · (−∞) never occurs).
    public func klDivergence(logTarget: Tensor) -> Tensor {
        precondition(rank == 2, "klDivergence expects log-probabilities [N, C], got \(shape)")
        precondition(shape == logTarget.shape, "klDivergence: \(shape) vs target \(logTarget.shape)")
        let rows = shape[0], n = count
        let x = detached(), lq = logTarget.detached()
        let xp = x.storage.pointer, lqp = lq.storage.pointer
        var total: Double = 0
        for i in 0..<n {
            let q = Double(expf(lqp[i]))
            if q > 0 { total += q * (Double(lqp[i]) - Double(xp[i])) }
        }
        let loss = Tensor(scalar: Float(total / Double(Swift.max(rows, 1))))
        return loss.recorded("klDivergence", [self]) { g in
            let lqp = lq.storage.pointer
            let scale = -g.item / Float(Swift.max(rows, 1))
            return [Tensor(shape: lq.shape) { o in for i in 0..<n { o[i] = expf(lqp[i]) * scale } }]
        }
    }

    /// Mean squared error against `target` (same shape).
    public func mseLoss(_ target: Tensor) -> Tensor {
        precondition(shape == target.shape, "mseLoss: \(shape) vs \(target.shape)")
        return (self - target).squared().mean()
    }

    /// Mean binary cross-entropy of `self` as logits against 0/1 `target`,
    /// computed stably: max(x, 0) − x·y + log(1 + e^{−|x|}). `positiveWeight`
    /// (broadcast over the last dimension) scales the positive term as
    /// PyTorch's `pos_weight`.
    public func binaryCrossEntropyWithLogits(_ target: Tensor, positiveWeight: Tensor? = nil) -> Tensor {
        precondition(shape == target.shape, "binaryCrossEntropyWithLogits: \(shape) vs \(target.shape)")
        let x = detached(), y = target.detached()
        let n = count
        let pw = positiveWeight?.broadcast(to: shape).detached()
        let xp = x.storage.pointer, yp = y.storage.pointer, pwp = pw?.storage.pointer
        var total: Double = 0
        for i in 0..<n {
            let v = xp[i], t = yp[i]
            // log σ(v) = −softplus(−v); log(1−σ(v)) = −softplus(v)
            let spNeg = Swift.max(-v, 0) + log1pf(expf(-Swift.abs(v)))
            let spPos = Swift.max(v, 0) + log1pf(expf(-Swift.abs(v)))
            let w = pwp?[i] ?? 1
            total += Double(w * t * spNeg + (1 - t) * spPos)
        }
        let loss = Tensor(scalar: Float(total / Double(Swift.max(n, 1))))
        return loss.recorded("bceWithLogits", [self]) { g in
            let xp = x.storage.pointer, yp = y.storage.pointer, pwp = pw?.storage.pointer
            let scale = g.item / Float(Swift.max(n, 1))
            return [
                Tensor(shape: x.shape) { o in
                    for i in 0..<n {
                        let s = 1 / (1 + expf(-xp[i]))
                        let w = pwp?[i] ?? 1
                        // d/dv [w t softplus(−v) + (1−t) softplus(v)] = −w t (1−σ) + (1−t) σ
                        o[i] = scale * (-w * yp[i] * (1 - s) + (1 - yp[i]) * s)
                    }
                }
            ]
        }
    }
}
