import CFinchBLAS
import CFinchKernels

/// Finch's matrix products on raw row-major buffers: the one way to BLAS for
/// every target above FinchTensor. Each call runs Finch's own GEMM or the
/// system BLAS: `backend`, by default `GEMMBackend.current`. Transposes are flags: op(X) is
/// X or Xᵀ; leading dimensions are the row strides of the stored matrices.
public enum GEMM {
    /// C = alpha · op(A) · op(B) + beta · C on the calling thread, with op(A)
    /// m×k, op(B) k×n and C m×n. When beta is 0, C is not read.
    public static func sgemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, backend: GEMMBackend = .current,
        precision: MatmulPrecision = .fp32
    ) {
        if m <= 0 || n <= 0 { return }
        if precision == .bf16 {
            finch_sbgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        switch backend {
        case .finch:
            finch_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        case .blas:
            GEMMThreading.configureOnce()
            if k <= 0 {
                finch_sgemm(0, 0, m, n, 0, alpha, a, lda, b, ldb, beta, c, ldc)  // C = beta·C, as BLAS
                return
            }
            cblas_sgemm(
                CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// The same product, with C cut into blocks of rows (or of columns, when
    /// n > m) run on Finch's workers. With Finch's backend (and in bf16) the
    /// result is bit-identical to `sgemm` whatever `Parallel.threadCount` is:
    /// each element is summed in the same order in any block.
    public static func sgemmParallel(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, backend: GEMMBackend = .current,
        precision: MatmulPrecision = .fp32
    ) {
        let threads = Parallel.threadCount
        let ownThreads = backend == .finch || precision == .bf16 || GEMMThreading.finchThreads
        guard threads > 1, ownThreads, 2 * m * n * Swift.max(k, 1) >= 1 << 22 else {
            sgemm(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, backend: backend, precision: precision)
            return
        }
        // Blocks of whole micro-tiles (48 rows: a multiple of every kernel's MR; 32 columns likewise for NR).
        let alongRows = m >= n
        let length = alongRows ? m : n, unit = alongRows ? 48 : 32
        let units = (length + unit - 1) / unit
        Parallel.forRanges(Swift.min(threads, units), cost: 1, grain: 1) { workers in
            let parts = Swift.min(threads, units)
            for w in workers {
                let lo = Swift.min(length, units * w / parts * unit), hi = Swift.min(length, units * (w + 1) / parts * unit)
                if lo >= hi { continue }
                if alongRows {
                    let aBlock = transposeA ? a + lo : a + lo * lda
                    sgemm(
                        transposeA: transposeA, transposeB: transposeB, m: hi - lo, n: n, k: k, alpha: alpha,
                        a: aBlock, lda: lda, b: b, ldb: ldb, beta: beta, c: c + lo * ldc, ldc: ldc, backend: backend,
                        precision: precision)
                } else {
                    let bBlock = transposeB ? b + lo * ldb : b + lo
                    sgemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: hi - lo, k: k, alpha: alpha,
                        a: a, lda: lda, b: bBlock, ldb: ldb, beta: beta, c: c + lo, ldc: ldc, backend: backend,
                        precision: precision)
                }
            }
        }
    }

    /// `batch` products C_i = alpha · op(A_i) · op(B_i) + beta · C_i on the
    /// calling thread, with X_i = X + i · strideX (a stride of 0 reuses one
    /// matrix; attention's per-head products are strided slices).
    public static func sgemmStridedBatched(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, strideA: Int, b: UnsafePointer<Float>, ldb: Int, strideB: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int, batch: Int,
        backend: GEMMBackend = .current
    ) {
        if backend == .finch {
            finch_sgemm_strided_batched(
                transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a, lda, strideA, b, ldb,
                strideB, beta, c, ldc, strideC, batch)
            return
        }
        for i in 0..<Swift.max(batch, 0) {
            sgemm(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a + i * strideA,
                lda: lda, b: b + i * strideB, ldb: ldb, beta: beta, c: c + i * strideC, ldc: ldc, backend: backend)
        }
    }

    /// y = alpha · op(A) · x + beta · y for A m×n row-major (leading dimension
    /// `lda`), op(A) = Aᵀ when `transpose`; x and y contiguous. When beta is 0,
    /// y is not read.
    public static func sgemv(
        transpose: Bool = false, m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>, backend: GEMMBackend = .current
    ) {
        if m <= 0 || n <= 0 {
            let count = transpose ? n : m
            for i in 0..<Swift.max(count, 0) { y[i] = beta == 0 ? 0 : beta * y[i] }
            return
        }
        switch backend {
        case .finch:
            finch_sgemv(transpose ? 1 : 0, m, n, alpha, a, lda, x, beta, y)
        case .blas:
            GEMMThreading.configureOnce()
            cblas_sgemv(
                CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda),
                x, 1, beta, y, 1)
        }
    }
}
