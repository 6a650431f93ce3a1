import CFinchBLAS
import CFinchBertKernels
import FinchNN
import FinchTensor

extension Linear {
    /// y = x·Wᵀ + b (+ residual) on raw rows: `x` [rows, in] → `y` [rows, out].
    /// Rows are split across Finch's workers; each fills its rows of `y` with
    /// residual + bias and runs one single-threaded GEMM accumulating into
    /// them (beta = 1), so bias and residual cost no extra pass over memory.
    /// Call inside `BlasThreading.singleThreaded`.
    func infer(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>,
               residual: UnsafePointer<Float>? = nil) {
        let n = outFeatures, k = inFeatures
        let w = UnsafePointer(weight.value.storage.pointer)
        let b = bias.map { UnsafePointer($0.value.storage.pointer) }
        Parallel.forRanges(rows, cost: 2 * n * k, grain: 1 << 20) { r in
            let yr = y + r.lowerBound * n, rr = residual.map { $0 + r.lowerBound * n }
            var beta: Float = 0
            if let b {
                fbk_fill_rows(yr, rr, b, r.count, n)
                beta = 1
            } else if let rr {
                yr.update(from: rr, count: r.count * n)
                beta = 1
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(r.count), Int32(n), Int32(k),
                        1, x + r.lowerBound * k, Int32(k), w, Int32(k), beta, yr, Int32(n))
        }
    }
}

extension LayerNorm {
    /// Layer norm of `rows` rows of `x` into `y` (which may be `x`).
    func infer(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let n = weight.shape[0]
        let w = weight.value.storage.pointer, b = bias.value.storage.pointer, eps = self.eps
        Parallel.forRanges(rows, cost: n * 4) { r in
            fbk_layer_norm(x + r.lowerBound * n, y + r.lowerBound * n, r.count, n, w, b, eps)
        }
    }
}

extension BertActivation {
    /// Applies the activation in place to `count` floats, split across cores.
    func applyInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let f: (UnsafeMutablePointer<Float>?, Int) -> Void
        switch self {
        case .gelu: f = fbk_gelu_erf
        case .geluNew, .geluPytorchTanh, .geluFast: f = fbk_gelu_tanh
        case .relu: f = fbk_relu
        case .silu, .swish: f = fbk_silu
        }
        Parallel.forRanges(count, cost: 16) { r in f(x + r.lowerBound, r.count) }
    }
}
