/// The result of batch normalization in training mode: the output and the
/// batch's statistics per channel, for the caller's running averages.
public struct BatchNormResult {
    /// The normalized input, shaped like it.
    public let output: Tensor
    /// Mean per channel [C].
    public let mean: Tensor
    /// Unbiased variance per channel [C] (divisor M − 1, M the elements per
    /// channel): what PyTorch folds into `running_var`.
    public let unbiasedVariance: Tensor
}

extension Tensor {
    /// Batch normalization with the batch's own statistics, as
    /// `torch.nn.functional.batch_norm(training=True)`: for `self`
    /// [N, C, …] and each channel c, y = (x − μ_c) / √(σ²_c + eps) · weight_c +
    /// bias_c, with μ and the biased variance σ² over every element of the
    /// channel (N and the trailing dimensions). `weight` and `bias` are [C]
    /// (nil: 1 and 0). Gradients flow through the statistics.
    public func batchNormTraining(weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> BatchNormResult {
        let layout = BatchNormLayout("batchNormTraining", shape: shape, weight: weight, bias: bias)
        let c = layout.channels, m = layout.perChannel
        precondition(m > 1, "batchNormTraining: needs more than one value per channel, got input \(shape)")
        var mean = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
        let xp = storage.pointer
        mean.withUnsafeMutableBufferPointer { mp in
            variance.withUnsafeMutableBufferPointer { vp in
                let mp = mp.baseAddress!, vp = vp.baseAddress!
                Parallel.forRanges(c, cost: 2 * m) { r in
                    for ch in r {
                        var s: Double = 0
                        layout.forEachRun(ch) { start, n in for k in 0..<n { s += Double(xp[start + k]) } }
                        let mu = s / Double(m)
                        var q: Double = 0
                        layout.forEachRun(ch) { start, n in
                            for k in 0..<n {
                                let d = Double(xp[start + k]) - mu
                                q += d * d
                            }
                        }
                        mp[ch] = Float(mu)
                        vp[ch] = Float(q / Double(m))
                    }
                }
            }
        }
        let invStd = variance.map { 1 / ($0 + eps).squareRoot() }
        let output = layout.normalize(self, mean: mean, invStd: invStd, weight: weight, bias: bias, batchStatistics: true)
        let unbiased = variance.map { $0 * Float(m) / Float(m - 1) }
        return BatchNormResult(output: output, mean: Tensor(mean), unbiasedVariance: Tensor(unbiased))
    }

    /// Batch normalization with given statistics (evaluation mode, as
    /// `torch.nn.functional.batch_norm(training=False)`): y = (x − mean_c) /
    /// √(variance_c + eps) · weight_c + bias_c for `self` [N, C, …]; `mean` and
    /// `variance` [C] are constants (running averages).
    public func batchNorm(mean: Tensor, variance: Tensor, weight: Tensor?, bias: Tensor?, eps: Float = 1e-5) -> Tensor {
        let layout = BatchNormLayout("batchNorm", shape: shape, weight: weight, bias: bias)
        precondition(
            mean.shape == [layout.channels] && variance.shape == [layout.channels],
            "batchNorm: mean \(mean.shape) / variance \(variance.shape) for \(layout.channels) channels")
        let invStd = variance.scalars.map { 1 / ($0 + eps).squareRoot() }
        return layout.normalize(self, mean: mean.scalars, invStd: invStd, weight: weight, bias: bias, batchStatistics: false)
    }
}

/// Where a channel's elements lie in [N, C, …]: N runs of `inner` contiguous
/// elements, one per image.
struct BatchNormLayout {
    let batch: Int, channels: Int, inner: Int

    init(_ op: String, shape: [Int], weight: Tensor?, bias: Tensor?) {
        precondition(shape.count >= 2, "\(op): input must be [N, C, …], got \(shape)")
        batch = shape[0]
        channels = shape[1]
        inner = shape.dropFirst(2).reduce(1, *)
        if let weight { precondition(weight.shape == [channels], "\(op): weight \(weight.shape) for \(channels) channels") }
        if let bias { precondition(bias.shape == [channels], "\(op): bias \(bias.shape) for \(channels) channels") }
    }

    /// Elements per channel.
    var perChannel: Int { batch * inner }

    /// Calls `body(start, count)` for each contiguous run of channel `c`.
    @inline(__always)
    func forEachRun(_ c: Int, _ body: (Int, Int) -> Void) {
        for n in 0..<batch { body((n * channels + c) * inner, inner) }
    }

    /// y = (x − mean)·invStd·γ + β, recorded. With `batchStatistics` the
    /// backward pass includes the paths through the mean and variance:
    /// dx = γ·invStd·(g − mean(g) − x̂·mean(g·x̂)); else dx = γ·invStd·g.
    func normalize(_ x: Tensor, mean: [Float], invStd: [Float], weight: Tensor?, bias: Tensor?, batchStatistics: Bool) -> Tensor {
        let xp = x.storage.pointer
        let gamma = weight?.scalars ?? [Float](repeating: 1, count: channels)
        let beta = bias?.scalars ?? [Float](repeating: 0, count: channels)
        let layout = self
        let out = Tensor(shape: x.shape) { o in
            let po = o.baseAddress!
            Parallel.forRanges(channels, cost: perChannel) { r in
                for c in r {
                    let scale = invStd[c] * gamma[c], shift = beta[c] - mean[c] * scale
                    layout.forEachRun(c) { start, n in for k in 0..<n { po[start + k] = xp[start + k] * scale + shift } }
                }
            }
        }
        var inputs = [x]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let hasWeight = weight != nil, hasBias = bias != nil
        let xd = x.detached(), m = Float(perChannel)
        return out.recorded(batchStatistics ? "batchNormTraining" : "batchNorm", inputs) { grad in
            let gp = grad.storage.pointer, xp = xd.storage.pointer
            var sumG = [Float](repeating: 0, count: layout.channels), sumGX = sumG
            sumG.withUnsafeMutableBufferPointer { sg in
                sumGX.withUnsafeMutableBufferPointer { sgx in
                    let sg = sg.baseAddress!, sgx = sgx.baseAddress!
                    Parallel.forRanges(layout.channels, cost: layout.perChannel) { r in
                        for c in r {
                            var a: Double = 0, b: Double = 0
                            let mu = mean[c], inv = invStd[c]
                            layout.forEachRun(c) { start, n in
                                for k in 0..<n {
                                    let gv = Double(gp[start + k])
                                    a += gv
                                    b += gv * Double((xp[start + k] - mu) * inv)
                                }
                            }
                            sg[c] = Float(a)
                            sgx[c] = Float(b)
                        }
                    }
                }
            }
            let gx = Tensor(shape: xd.shape) { o in
                let po = o.baseAddress!
                Parallel.forRanges(layout.channels, cost: layout.perChannel) { r in
                    for c in r {
                        let mu = mean[c], inv = invStd[c], k0 = gamma[c] * inv
                        let meanG = batchStatistics ? sumG[c] / m : 0, meanGX = batchStatistics ? sumGX[c] / m : 0
                        layout.forEachRun(c) { start, n in
                            for k in 0..<n {
                                let xhat = (xp[start + k] - mu) * inv
                                po[start + k] = k0 * (gp[start + k] - meanG - xhat * meanGX)
                            }
                        }
                    }
                }
            }
            var grads: [Tensor?] = [gx]
            if hasWeight { grads.append(Tensor(sumGX)) }
            if hasBias { grads.append(Tensor(sumG)) }
            return grads
        }
    }
}
