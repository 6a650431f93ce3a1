extension Tensor {
    /// 2-D convolution (cross-correlation) as `torch.nn.functional.conv2d`:
    /// `self` [N, C, H, W], `weight` [O, C/groups, kH, kW], `bias` [O];
    /// output [N, O, outH, outW] with outH = ⌊(H + 2·pH − dH·(kH − 1) − 1) / sH⌋ + 1.
    ///
    /// Images are unfolded (im2col) a chunk at a time into a matrix
    /// [C·kH·kW, images·outH·outW], so each group is one GEMM
    /// W_g [O/groups, C/groups·kH·kW] · cols_g over the whole chunk. The
    /// backward pass unfolds again (nothing but the inputs is kept) and runs
    /// dW_g = G_g · cols_gᵀ and cols_g = W_gᵀ · G_g, folded back (col2im).
    public func conv2d(
        weight: Tensor, bias: Tensor? = nil, stride: Pair2D = 1, padding: Pair2D = 0, dilation: Pair2D = 1,
        groups: Int = 1
    ) -> Tensor {
        precondition(weight.rank == 4, "conv2d: weight must be [O, C/groups, kH, kW], got \(weight.shape)")
        let g = ConvGeometry(
            "conv2d", input: shape, kernel: Pair2D(weight.shape[2], weight.shape[3]), stride: stride, padding: padding,
            dilation: dilation)
        let outC = weight.shape[0]
        precondition(
            groups > 0 && g.channels % groups == 0 && outC % groups == 0, "conv2d: \(groups) groups for \(g.channels) → \(outC) channels")
        precondition(
            weight.shape[1] * groups == g.channels, "conv2d: weight \(weight.shape) for \(g.channels) input channels in \(groups) groups")
        if let bias { precondition(bias.shape == [outC], "conv2d: bias \(bias.shape) for \(outC) output channels") }
        let plan = ConvPlan(geometry: g, outChannels: outC, groups: groups)
        let x = detached(), w = weight.detached(), b = bias?.detached()
        let out = Tensor(shape: [g.batch, outC, g.outH, g.outW]) { o in
            plan.forward(x: x.storage.pointer, w: w.storage.pointer, bias: b?.storage.pointer, out: o.baseAddress!)
        }
        var inputs = [self, weight]
        if let bias { inputs.append(bias) }
        let needs = inputs.map(\.requiresGrad)
        return out.recorded("conv2d", inputs) { grad in
            let gx = needs[0] ? Tensor.zeros(x.shape) : nil
            let gw = needs[1] ? Tensor(shape: w.shape) { _ in } : nil
            plan.backward(
                grad: grad.storage.pointer, x: x.storage.pointer, w: w.storage.pointer, gx: gx?.storage.pointer,
                gw: gw?.storage.pointer)
            var grads: [Tensor?] = [gx, gw]
            if b != nil { grads.append(needs[2] ? plan.biasGradient(grad.storage.pointer) : nil) }
            return grads
        }
    }
}

/// The work of one convolution: chunk sizes and the GEMMs of each group.
struct ConvPlan {
    let g: ConvGeometry
    let outC: Int, groups: Int
    /// Input channels per group, output channels per group, unfolded rows per group.
    let cg: Int, og: Int, kg: Int
    /// Images unfolded at once: the unfolded chunk stays under about 16 MB.
    let chunk: Int

    init(geometry: ConvGeometry, outChannels: Int, groups: Int) {
        g = geometry
        outC = outChannels
        self.groups = groups
        cg = g.channels / groups
        og = outChannels / groups
        kg = cg * g.taps
        let perImage = Swift.max(1, Swift.max(g.channels * g.taps, outChannels) * g.outPlane)
        chunk = Swift.max(1, Swift.min(g.batch, (1 << 22) / perImage))
    }

    /// Rows of the unfolded matrix.
    var rows: Int { g.channels * g.taps }

    /// im2col of images n0 ..< n0 + nb into `col` [rows, nb·outPlane].
    func unfold(_ x: UnsafeMutablePointer<Float>, n0: Int, nb: Int, col: UnsafeMutablePointer<Float>) {
        let ld = nb * g.outPlane, c = g.channels
        Parallel.forRanges(nb * c, cost: g.taps * g.outPlane) { r in
            for t in r {
                let image = t / c, channel = t % c
                Im2col.unfold(
                    g, plane: x + ((n0 + image) * c + channel) * g.inPlane, rows: col + channel * g.taps * ld + image * g.outPlane,
                    ld: ld)
            }
        }
    }

    func forward(
        x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?, out: UnsafeMutablePointer<Float>
    ) {
        let plane = g.outPlane
        let col = TensorStorage(uninitializedCount: rows * chunk * plane)
        let product = TensorStorage(uninitializedCount: chunk > 1 ? outC * chunk * plane : 0)
        for n0 in stride(from: 0, to: g.batch, by: chunk) {
            let nb = Swift.min(chunk, g.batch - n0), ld = nb * plane
            unfold(x, n0: n0, nb: nb, col: col.pointer)
            // One image: the product [O, plane] is the output itself.
            let target = nb == 1 ? out + n0 * outC * plane : product.pointer
            for gi in 0..<groups {
                GEMM.sgemmParallel(
                    m: og, n: ld, k: kg, a: w + gi * og * kg, lda: kg, b: col.pointer + gi * kg * ld, ldb: ld,
                    c: target + gi * og * ld, ldc: ld)
            }
            // [O, nb·plane] → [nb, O, plane], adding the bias.
            let source = target
            Parallel.forRanges(nb * outC, cost: plane) { r in
                for t in r {
                    let image = t / outC, o = t % outC
                    let dst = out + ((n0 + image) * outC + o) * plane
                    if nb > 1 { dst.update(from: source + o * ld + image * plane, count: plane) }
                    if let bias {
                        let v = bias[o]
                        for k in 0..<plane { dst[k] += v }
                    }
                }
            }
        }
    }

    /// Accumulates the input gradient into `gx` (zeroed) and writes the weight gradient into `gw`.
    func backward(
        grad: UnsafeMutablePointer<Float>, x: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>,
        gx: UnsafeMutablePointer<Float>?, gw: UnsafeMutablePointer<Float>?
    ) {
        if gx == nil && gw == nil { return }
        let plane = g.outPlane
        let col = TensorStorage(uninitializedCount: rows * chunk * plane)
        let gathered = TensorStorage(uninitializedCount: chunk > 1 ? outC * chunk * plane : 0)
        for n0 in stride(from: 0, to: g.batch, by: chunk) {
            let nb = Swift.min(chunk, g.batch - n0), ld = nb * plane
            // The output gradient as [O, nb·plane].
            let gO: UnsafeMutablePointer<Float>
            if nb == 1 {
                gO = grad + n0 * outC * plane
            } else {
                gO = gathered.pointer
                Parallel.forRanges(nb * outC, cost: plane) { r in
                    for t in r {
                        let image = t / outC, o = t % outC
                        (gO + o * ld + image * plane).update(from: grad + ((n0 + image) * outC + o) * plane, count: plane)
                    }
                }
            }
            if let gw {
                unfold(x, n0: n0, nb: nb, col: col.pointer)
                for gi in 0..<groups {
                    GEMM.sgemmParallel(
                        transposeB: true, m: og, n: kg, k: ld, a: gO + gi * og * ld, lda: ld, b: col.pointer + gi * kg * ld, ldb: ld,
                        beta: n0 == 0 ? 0 : 1, c: gw + gi * og * kg, ldc: kg)
                }
            }
            if let gx {
                for gi in 0..<groups {
                    GEMM.sgemmParallel(
                        transposeA: true, m: kg, n: ld, k: og, a: w + gi * og * kg, lda: kg, b: gO + gi * og * ld, ldb: ld,
                        c: col.pointer + gi * kg * ld, ldc: ld)
                }
                let c = g.channels, cp = col.pointer
                Parallel.forRanges(nb * c, cost: g.taps * plane) { r in
                    for t in r {
                        let image = t / c, channel = t % c
                        Im2col.fold(
                            g, rows: cp + channel * g.taps * ld + image * plane, ld: ld,
                            plane: gx + ((n0 + image) * c + channel) * g.inPlane)
                    }
                }
            }
        }
    }

    /// Σ over images and positions of the output gradient, per output channel.
    func biasGradient(_ grad: UnsafeMutablePointer<Float>) -> Tensor {
        let plane = g.outPlane, batch = g.batch, outC = outC
        return Tensor(shape: [outC]) { o in
            let po = o.baseAddress!
            Parallel.forRanges(outC, cost: batch * plane) { r in
                for c in r {
                    var s: Float = 0
                    for n in 0..<batch {
                        let p = grad + (n * outC + c) * plane
                        for k in 0..<plane { s += p[k] }
                    }
                    po[c] = s
                }
            }
        }
    }
}
