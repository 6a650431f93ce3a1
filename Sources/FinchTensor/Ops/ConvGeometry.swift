/// Sizes of a 2-D convolution or pooling over NCHW input: the input planes,
/// the window (kernel, stride, padding, dilation) and the output planes, with
/// PyTorch's output size ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1.
struct ConvGeometry {
    let batch: Int, channels: Int, height: Int, width: Int
    let kernelH: Int, kernelW: Int
    let strideH: Int, strideW: Int
    let padH: Int, padW: Int
    let dilationH: Int, dilationW: Int
    let outH: Int, outW: Int

    /// The geometry of `input` [N, C, H, W] under the window; stops with a
    /// message naming `op` when the window does not fit.
    init(
        _ op: String, input: [Int], kernel: Pair2D, stride: Pair2D, padding: Pair2D, dilation: Pair2D = 1
    ) {
        precondition(input.count == 4, "\(op): input must be [N, C, H, W], got \(input)")
        precondition(kernel.height > 0 && kernel.width > 0, "\(op): kernel \(kernel) must be positive")
        precondition(stride.height > 0 && stride.width > 0, "\(op): stride \(stride) must be positive")
        precondition(padding.height >= 0 && padding.width >= 0, "\(op): padding \(padding) must not be negative")
        precondition(dilation.height > 0 && dilation.width > 0, "\(op): dilation \(dilation) must be positive")
        batch = input[0]
        channels = input[1]
        height = input[2]
        width = input[3]
        (kernelH, kernelW) = (kernel.height, kernel.width)
        (strideH, strideW) = (stride.height, stride.width)
        (padH, padW) = (padding.height, padding.width)
        (dilationH, dilationW) = (dilation.height, dilation.width)
        let spanH = dilationH * (kernelH - 1) + 1, spanW = dilationW * (kernelW - 1) + 1
        precondition(
            height + 2 * padH >= spanH && width + 2 * padW >= spanW,
            "\(op): window \(spanH)×\(spanW) larger than padded input \(height + 2 * padH)×\(width + 2 * padW)")
        outH = (height + 2 * padH - spanH) / strideH + 1
        outW = (width + 2 * padW - spanW) / strideW + 1
    }

    /// Elements of one input plane.
    var inPlane: Int { height * width }
    /// Elements of one output plane.
    var outPlane: Int { outH * outW }
    /// Rows of the unfolded (im2col) matrix per channel: kernel positions.
    var taps: Int { kernelH * kernelW }

    /// The output columns `ox` whose input column `ox·s + offset` lies in
    /// 0..<width: `lo..<hi` (empty when none does).
    @inline(__always)
    func validColumns(offset: Int) -> (lo: Int, hi: Int) {
        let lo = offset < 0 ? (-offset + strideW - 1) / strideW : 0
        let last = width - 1 - offset
        let hi = last < 0 ? 0 : Swift.min(outW, last / strideW + 1)
        return (Swift.min(lo, hi), hi)
    }
}
