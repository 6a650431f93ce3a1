import CFinchBLAS
import CFinchBertKernels
import FinchTensor

/// Scaled dot-product attention over strided head slices, for inference.
enum AttentionKernel {
    /// For each (batch row b, head h): P = softmax(Q_bh K_bhᵀ / √d + mask_b),
    /// context_bh = P V_bh. `q`, `k`, `v` and `context` are [B·S, heads·d]
    /// row-major; head h of row b is the S × d slice starting at
    /// (b·S)·H + h·d with leading dimension H. `maskBias` is [B, S] additive
    /// (0 or `BertModel.maskedScore`) or nil. Pairs are split across cores;
    /// each worker keeps one S × S score buffer.
    static func run(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                    context: UnsafeMutablePointer<Float>, batch: Int, sequence s: Int, heads: Int,
                    headSize d: Int, maskBias: UnsafePointer<Float>?) {
        let h = heads * d
        let scale = 1 / Float(d).squareRoot()
        let pairs = batch * heads
        Parallel.forRanges(pairs, cost: 4 * s * s * d, grain: 1) { range in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: s * s)
            defer { scores.deallocate() }
            for pair in range {
                let b = pair / heads, head = pair % heads
                let offset = b * s * h + head * d
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(s), Int32(s), Int32(d),
                            scale, q + offset, Int32(h), k + offset, Int32(h), 0, scores, Int32(s))
                fbk_softmax_rows(scores, s, s, maskBias.map { $0 + b * s })
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(s), Int32(d), Int32(s),
                            1, scores, Int32(s), v + offset, Int32(h), 0, context + offset, Int32(h))
            }
        }
    }
}
