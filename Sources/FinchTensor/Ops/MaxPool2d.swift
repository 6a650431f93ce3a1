extension Tensor {
    /// Max pooling over windows of each plane of `self` [N, C, H, W], as
    /// `torch.nn.functional.max_pool2d` (floor mode): output
    /// [N, C, ⌊(H + 2p − k) / s⌋ + 1, …]. Padding counts as −∞ and is at most
    /// half the kernel. `stride` defaults to the kernel.
    ///
    /// The forward pass keeps the position of each window's maximum (the
    /// first one, in row-major order, as PyTorch; NaN wins); the backward pass
    /// sends each output's gradient there.
    public func maxPool2d(kernel: Pair2D, stride: Pair2D? = nil, padding: Pair2D = 0) -> Tensor {
        let g = ConvGeometry("maxPool2d", input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding)
        precondition(
            2 * g.padH <= g.kernelH && 2 * g.padW <= g.kernelW, "maxPool2d: padding \(padding) exceeds half the kernel \(kernel)")
        let planes = g.batch * g.channels, inPlane = g.inPlane, outPlane = g.outPlane
        let indices = TensorStorage(uninitializedCount: planes * outPlane)  // positions, as Float (exact below 2²⁴)
        let x = storage.pointer, ip = indices.pointer
        let out = Tensor(shape: [g.batch, g.channels, g.outH, g.outW]) { o in
            let po = o.baseAddress!
            Parallel.forRanges(planes, cost: outPlane * g.taps) { r in
                for p in r {
                    let src = x + p * inPlane, dst = po + p * outPlane, at = ip + p * outPlane
                    for oy in 0..<g.outH {
                        let h0 = oy * g.strideH - g.padH
                        let hs = Swift.max(h0, 0), he = Swift.min(h0 + g.kernelH, g.height)
                        for ox in 0..<g.outW {
                            let w0 = ox * g.strideW - g.padW
                            let ws = Swift.max(w0, 0), we = Swift.min(w0 + g.kernelW, g.width)
                            var best = -Float.infinity, index = hs * g.width + ws
                            for y in hs..<he {
                                for xx in ws..<we {
                                    let v = src[y * g.width + xx]
                                    if v > best || v.isNaN {
                                        best = v
                                        index = y * g.width + xx
                                        if v.isNaN { break }
                                    }
                                }
                                if best.isNaN { break }
                            }
                            dst[oy * g.outW + ox] = best
                            at[oy * g.outW + ox] = Float(index)
                        }
                    }
                }
            }
        }
        let inShape = shape
        return out.recorded("maxPool2d", [self]) { grad in
            let gp = grad.storage.pointer, ip = indices.pointer
            let gx = Tensor.zeros(inShape)
            let gxp = gx.storage.pointer
            Parallel.forRanges(planes, cost: outPlane) { r in
                for p in r {
                    let dst = gxp + p * inPlane, src = gp + p * outPlane, at = ip + p * outPlane
                    for k in 0..<outPlane { dst[Int(at[k])] += src[k] }
                }
            }
            return [gx]
        }
    }
}
