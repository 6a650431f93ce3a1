/// The unfolding behind `conv2d`: im2col copies every window of one input
/// plane into the columns of a matrix, so the convolution becomes one GEMM;
/// col2im adds such a matrix back onto the plane (the adjoint, for the input
/// gradient).
///
/// For channel c, the rows `c·taps ..< (c + 1)·taps` (one per kernel
/// position (i, j), row i·kW + j) hold, in column oy·outW + ox, the input
/// element at (oy·sH − pH + i·dH, ox·sW − pW + j·dW), or 0 in the padding.
enum Im2col {
    /// Writes the `taps` rows of one channel: `plane` is the input plane
    /// [H, W], `rows` the first of its rows in the matrix, `ld` the matrix's
    /// row stride (outH·outW columns are written from `rows` on).
    static func unfold(_ g: ConvGeometry, plane: UnsafePointer<Float>, rows: UnsafeMutablePointer<Float>, ld: Int) {
        let outW = g.outW
        for i in 0..<g.kernelH {
            for j in 0..<g.kernelW {
                let row = rows + (i * g.kernelW + j) * ld
                let offset = j * g.dilationW - g.padW
                let (lo, hi) = g.validColumns(offset: offset)
                for oy in 0..<g.outH {
                    let dst = row + oy * outW
                    let iy = oy * g.strideH - g.padH + i * g.dilationH
                    if iy < 0 || iy >= g.height || lo >= hi {
                        dst.update(repeating: 0, count: outW)
                        continue
                    }
                    if lo > 0 { dst.update(repeating: 0, count: lo) }
                    let src = plane + iy * g.width + lo * g.strideW + offset
                    if g.strideW == 1 {
                        (dst + lo).update(from: src, count: hi - lo)
                    } else {
                        let s = g.strideW
                        for t in 0..<(hi - lo) { dst[lo + t] = src[t * s] }
                    }
                    if hi < outW { (dst + hi).update(repeating: 0, count: outW - hi) }
                }
            }
        }
    }

    /// Adds the `taps` rows of one channel back onto `plane` [H, W]: the
    /// adjoint of `unfold` (overlapping windows accumulate).
    static func fold(_ g: ConvGeometry, rows: UnsafePointer<Float>, ld: Int, plane: UnsafeMutablePointer<Float>) {
        let outW = g.outW
        for i in 0..<g.kernelH {
            for j in 0..<g.kernelW {
                let row = rows + (i * g.kernelW + j) * ld
                let offset = j * g.dilationW - g.padW
                let (lo, hi) = g.validColumns(offset: offset)
                if lo >= hi { continue }
                for oy in 0..<g.outH {
                    let iy = oy * g.strideH - g.padH + i * g.dilationH
                    if iy < 0 || iy >= g.height { continue }
                    let src = row + oy * outW + lo
                    let dst = plane + iy * g.width + lo * g.strideW + offset
                    let s = g.strideW
                    for t in 0..<(hi - lo) { dst[t * s] += src[t] }
                }
            }
        }
    }
}
