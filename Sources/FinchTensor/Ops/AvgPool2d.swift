extension Tensor {
    /// Average pooling over windows of each plane of `self` [N, C, H, W], as
    /// `torch.nn.functional.avg_pool2d` (floor mode): output
    /// [N, C, ⌊(H + 2p − k) / s⌋ + 1, …]. With `countIncludePad` (PyTorch's
    /// default) the divisor is the whole window, padding included; otherwise
    /// only the input elements it covers. `stride` defaults to the kernel.
    public func avgPool2d(kernel: Pair2D, stride: Pair2D? = nil, padding: Pair2D = 0, countIncludePad: Bool = true) -> Tensor {
        let g = ConvGeometry("avgPool2d", input: shape, kernel: kernel, stride: stride ?? kernel, padding: padding)
        precondition(
            2 * g.padH <= g.kernelH && 2 * g.padW <= g.kernelW, "avgPool2d: padding \(padding) exceeds half the kernel \(kernel)")
        let windows = PoolWindows(outH: g.outH, outW: g.outW) { oy, ox in
            let h0 = oy * g.strideH - g.padH, w0 = ox * g.strideW - g.padW
            let h1 = Swift.min(h0 + g.kernelH, g.height + g.padH), w1 = Swift.min(w0 + g.kernelW, g.width + g.padW)
            let hs = Swift.max(h0, 0), ws = Swift.max(w0, 0), he = Swift.min(h1, g.height), we = Swift.min(w1, g.width)
            let divisor = countIncludePad ? (h1 - h0) * (w1 - w0) : (he - hs) * (we - ws)
            return (hs, he, ws, we, divisor)
        }
        return windows.average(self, op: "avgPool2d")
    }

    /// Adaptive average pooling, as `torch.nn.functional.adaptive_avg_pool2d`:
    /// output [N, C, outH, outW] whatever H and W are; output row i averages
    /// input rows ⌊i·H / outH⌋ ..< ⌈(i + 1)·H / outH⌉ (columns likewise).
    public func adaptiveAvgPool2d(outputSize: Pair2D) -> Tensor {
        precondition(rank == 4, "adaptiveAvgPool2d: input must be [N, C, H, W], got \(shape)")
        precondition(outputSize.height > 0 && outputSize.width > 0, "adaptiveAvgPool2d: output size \(outputSize) must be positive")
        let h = shape[2], w = shape[3], oh = outputSize.height, ow = outputSize.width
        let windows = PoolWindows(outH: oh, outW: ow) { oy, ox in
            let hs = oy * h / oh, he = ((oy + 1) * h + oh - 1) / oh
            let ws = ox * w / ow, we = ((ox + 1) * w + ow - 1) / ow
            return (hs, he, ws, we, (he - hs) * (we - ws))
        }
        return windows.average(self, op: "adaptiveAvgPool2d")
    }
}

/// The windows of an average pooling: for each output position, the input
/// rows hs..<he and columns ws..<we it averages and the divisor.
struct PoolWindows {
    let outH: Int, outW: Int
    /// (hs, he, ws, we, divisor) per output position, row-major.
    let windows: [(Int, Int, Int, Int, Int)]

    init(outH: Int, outW: Int, _ window: (Int, Int) -> (Int, Int, Int, Int, Int)) {
        self.outH = outH
        self.outW = outW
        var all: [(Int, Int, Int, Int, Int)] = []
        all.reserveCapacity(outH * outW)
        for oy in 0..<outH { for ox in 0..<outW { all.append(window(oy, ox)) } }
        windows = all
    }

    /// Averages every plane of `x` [N, C, H, W] over the windows; the backward
    /// pass spreads each output's gradient evenly over its window.
    func average(_ x: Tensor, op: String) -> Tensor {
        let planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3]
        let inPlane = h * w, outPlane = outH * outW
        let windows = windows
        let xp = x.storage.pointer
        let out = Tensor(shape: [x.shape[0], x.shape[1], outH, outW]) { o in
            let po = o.baseAddress!
            Parallel.forRanges(planes, cost: inPlane + outPlane) { r in
                for p in r {
                    let src = xp + p * inPlane, dst = po + p * outPlane
                    for (k, (hs, he, ws, we, divisor)) in windows.enumerated() {
                        var s: Float = 0
                        for y in hs..<he { for c in ws..<we { s += src[y * w + c] } }
                        dst[k] = s / Float(divisor)
                    }
                }
            }
        }
        let inShape = x.shape
        return out.recorded(op, [x]) { grad in
            let gp = grad.storage.pointer
            let gx = Tensor.zeros(inShape)
            let gxp = gx.storage.pointer
            Parallel.forRanges(planes, cost: inPlane + outPlane) { r in
                for p in r {
                    let src = gp + p * outPlane, dst = gxp + p * inPlane
                    for (k, (hs, he, ws, we, divisor)) in windows.enumerated() {
                        let v = src[k] / Float(divisor)
                        for y in hs..<he { for c in ws..<we { dst[y * w + c] += v } }
                    }
                }
            }
            return [gx]
        }
    }
}
