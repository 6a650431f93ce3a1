// Raw-buffer inference for the FinchNN layers BERT uses (Linear, LayerNorm) and its activations.
import CFinchKernels
import FinchNN
import FinchTensor

extension Linear {
    /// y = x·Wᵀ + b (+ residual) on raw rows: `x` [rows, in] → `y` [rows, out].
    /// The product is split across Finch's workers, each running one
    /// single-threaded GEMM (`GEMM.sgemm`) that accumulates (beta = 1) into its block of `y`
    /// after filling it with residual + bias, so bias and residual cost no
    /// extra pass. A layer quantized by `BertModel.quantizeForInference` runs
    /// `QuantizedLinear` instead (residual added in a second pass). Blocks are row ranges, or column ranges (slices of W)
    /// when `out` exceeds `rows`: each worker packs its operands itself, and
    /// this split packs the larger one only once. Call inside
    /// `BlasThreading.singleThreaded`. With `addsBias` false the bias is left
    /// for the caller to fuse into its next pass.
    func infer(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
        residual: UnsafePointer<Float>? = nil, addsBias: Bool = true
    ) {
        let n = outFeatures, k = inFeatures
        if let quantized = QuantizedInference.lookup(self) {  // int8 (BertModel.quantizeForInference)
            quantized.infer(x, rows: rows, into: y, addsBias: addsBias)
            if let residual {
                Parallel.forRanges(rows, cost: n) { r in
                    for i in (r.lowerBound * n)..<(r.upperBound * n) { y[i] += residual[i] }
                }
            }
            return
        }
        let w = UnsafePointer(weight.value.storage.pointer)
        let b = addsBias ? bias.map { UnsafePointer($0.value.storage.pointer) } : nil
        let beta: Float = b != nil || residual != nil ? 1 : 0
        if n > rows {
            Parallel.forRanges(n, cost: 2 * rows * k, grain: 1 << 20) { c in
                let width = c.count
                for r in 0..<rows {
                    let yr = y + r * n + c.lowerBound, rr = residual.map { $0 + r * n + c.lowerBound }
                    if let b {
                        finch_fill_rows(yr, rr, b + c.lowerBound, 1, width)
                    } else if let rr {
                        yr.update(from: rr, count: width)
                    }
                }
                GEMM.sgemm(
                    transposeB: true, m: rows, n: width, k: k, a: x, lda: k, b: w + c.lowerBound * k, ldb: k,
                    beta: beta, c: y + c.lowerBound, ldc: n)
            }
            return
        }
        Parallel.forRanges(rows, cost: 2 * n * k, grain: 1 << 20) { r in
            let yr = y + r.lowerBound * n, rr = residual.map { $0 + r.lowerBound * n }
            if let b {
                finch_fill_rows(yr, rr, b, r.count, n)
            } else if let rr {
                yr.update(from: rr, count: r.count * n)
            }
            GEMM.sgemm(
                transposeB: true, m: r.count, n: n, k: k, a: x + r.lowerBound * k, lda: k, b: w, ldb: k,
                beta: beta, c: yr, ldc: n)
        }
    }
}

extension LayerNorm {
    /// Layer norm of `rows` rows of `x` into `y` (which may be `x`).
    func infer(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let n = weight.shape[0]
        let w = weight.value.storage.pointer, b = bias.value.storage.pointer, eps = self.eps
        Parallel.forRanges(rows, cost: n * 4) { r in
            finch_layer_norm_rows(x + r.lowerBound * n, w, b, y + r.lowerBound * n, nil, r.count, n, eps)
        }
    }
}

extension BertActivation {
    /// The kernel code of `finch_bias_activation`.
    var kernelCode: Int32 {
        switch self {
        case .gelu: return 1
        case .geluNew, .geluPytorchTanh, .geluFast: return 2
        case .relu: return 3
        case .silu, .swish: return 4
        }
    }

    /// y ← act(y + bias) over `rows` rows of width `n`, one pass, split across cores.
    func applyInPlace(_ y: UnsafeMutablePointer<Float>, rows: Int, n: Int, bias: UnsafePointer<Float>) {
        let code = kernelCode
        Parallel.forRanges(rows, cost: 16 * n) { r in
            finch_bias_activation(y + r.lowerBound * n, r.count, n, bias, code)
        }
    }
}
