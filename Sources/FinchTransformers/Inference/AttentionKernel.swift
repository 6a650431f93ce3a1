import CFinchKernels
import FinchTensor

/// Scaled dot-product attention over strided head slices, for inference.
enum AttentionKernel {
    /// For each (batch row b, head h): P = softmax(Q_bh K_bhᵀ / √d + mask_b),
    /// context_bh = P V_bh. `q`, `k`, `v` and `context` are [B·S, heads·d]
    /// row-major; head h of row b is the S × d slice starting at
    /// (b·S)·H + h·d with leading dimension H. `maskBias` is [B, S] additive
    /// (0 or `BertModel.maskedScore`) or nil. Pairs are split across cores;
    /// each worker keeps one S × S score buffer.
    static func run(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
        context: UnsafeMutablePointer<Float>, batch: Int, sequence s: Int, heads: Int,
        headSize d: Int, maskBias: UnsafePointer<Float>?
    ) {
        let h = heads * d
        let scale = 1 / Float(d).squareRoot()
        let pairs = batch * heads
        Parallel.forRanges(pairs, cost: 4 * s * s * d, grain: 1) { range in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
            defer { scores.deallocate() }
            for pair in range {
                let b = pair / heads, head = pair % heads
                let offset = b * s * h + head * d
                GEMM.sgemm(
                    transposeB: true, m: s, n: s, k: d, alpha: scale, a: q + offset, lda: h, b: k + offset, ldb: h,
                    c: scores, ldc: s)
                finch_softmax_bias_rows(scores, scores, s, s, maskBias.map { $0 + b * s })
                GEMM.sgemm(m: s, n: d, k: s, a: scores, lda: s, b: v + offset, ldb: h, c: context + offset, ldc: h)
            }
        }
    }
}
