import Foundation

/// Raw GEMM over row-major pointers: C[i] = op(A[i]) · op(B[i]) (+ C when
/// `accumulate`), for `batch` products; a stride of 0 reuses one matrix. When
/// `strideC` is 0 every product accumulates into one C.
///
/// The products run in `MatmulPrecision.current`, read here on the calling
/// thread (the one running the forward or backward pass).
///
/// Threading is Finch's (see `GEMMThreading`): independent products of a
/// batch run on different workers; one large product is cut into row (or
/// column) blocks, one per worker, each a single-threaded GEMM call. So no
/// BLAS thread pool spins while Finch's own loops run.
@usableFromInline
func gemmBatched(
    batch: Int, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, strideA: Int, transposeA: Bool,
    b: UnsafePointer<Float>, strideB: Int, transposeB: Bool,
    c: UnsafeMutablePointer<Float>, strideC: Int, accumulate: Bool
) {
    if k == 0 {
        if !accumulate {
            for i in 0..<(strideC == 0 ? 1 : batch) { (c + i * strideC).initialize(repeating: 0, count: m * n) }
        }
        return
    }
    let precision = MatmulPrecision.current
    let g = GEMMPlan(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, precision: precision)
    let ownThreads = GEMMBackend.current == .finch || precision == .bf16 || GEMMThreading.finchThreads
    if strideC != 0 && batch > 1 && ownThreads {
        Parallel.forRanges(batch, cost: 2 * m * n * k, grain: 1 << 18) { r in
            for i in r { g.run(a + i * strideA, b + i * strideB, c + i * strideC, beta: accumulate ? 1 : 0) }
        }
        return
    }
    for i in 0..<batch {
        let beta: Float = (accumulate || (strideC == 0 && i > 0)) ? 1 : 0
        g.runSplit(a + i * strideA, b + i * strideB, c + i * strideC, beta: beta)
    }
}

/// One GEMM's shape, and its execution whole or in blocks.
struct GEMMPlan {
    let m: Int, n: Int, k: Int
    let transposeA: Bool, transposeB: Bool
    var precision: MatmulPrecision = .fp32
    var lda: Int { transposeA ? m : k }
    var ldb: Int { transposeB ? k : n }

    /// The product on the calling thread.
    func run(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, beta: Float) {
        GEMM.sgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
            beta: beta, c: c, ldc: n, precision: precision)
    }

    /// Runs the product, cut across Finch's workers when it is large enough.
    func runSplit(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, beta: Float) {
        GEMM.sgemmParallel(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b,
            ldb: ldb, beta: beta, c: c, ldc: n, precision: precision)
    }
}

extension Tensor {
    /// Matrix product over the last two dimensions, transposes applied without
    /// copies. Shapes: `self` [..., m, k] (or [..., k, m] transposed), `other`
    /// [k, n] (or [n, k]) shared by every batch, or [..., k, n] with the same
    /// batch dimensions; a 2-D `self` with a batched `other` is broadcast too.
    public func matmul(_ other: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(rank >= 2 && other.rank >= 2, "matmul needs rank ≥ 2, got \(shape) and \(other.shape)")
        let m = transposeA ? shape[rank - 1] : shape[rank - 2]
        let ka = transposeA ? shape[rank - 2] : shape[rank - 1]
        let kb = transposeB ? other.shape[other.rank - 1] : other.shape[other.rank - 2]
        let n = transposeB ? other.shape[other.rank - 2] : other.shape[other.rank - 1]
        precondition(ka == kb, "matmul: inner dimensions differ: \(shape)\(transposeA ? "ᵀ" : "") · \(other.shape)\(transposeB ? "ᵀ" : "")")
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        let a = self.detached(), b = other.detached()

        if batchB.isEmpty && !transposeA {
            // Fold the batch into m: one GEMM.
            let rows = Shape.count(batchA) * m
            let out = Tensor(shape: batchA + [m, n]) { o in
                gemmBatched(
                    batch: 1, m: rows, n: n, k: ka, a: a.storage.pointer, strideA: 0, transposeA: false,
                    b: b.storage.pointer, strideB: 0, transposeB: transposeB,
                    c: o.baseAddress!, strideC: 0, accumulate: false)
            }
            return out.recorded("matmul", [self, other]) { g in
                let g2 = g.reshaped([rows, n]), a2 = a.reshaped([rows, ka])
                let ga = g2.matmul(b, transposeB: !transposeB).reshaped(a.shape)
                let gb = transposeB ? g2.matmul(a2, transposeA: true) : a2.matmul(g2, transposeA: true)
                return [ga, gb]
            }
        }

        let batch: [Int]
        if batchA == batchB {
            batch = batchA
        } else if batchA.isEmpty {
            batch = batchB
        } else if batchB.isEmpty {
            batch = batchA
        } else {
            preconditionFailure("matmul: batch dimensions \(batchA) and \(batchB) differ")
        }
        let count = Shape.count(batch)
        let sA = batchA.isEmpty ? 0 : m * ka, sB = batchB.isEmpty ? 0 : ka * n
        let out = Tensor(shape: batch + [m, n]) { o in
            gemmBatched(
                batch: count, m: m, n: n, k: ka, a: a.storage.pointer, strideA: sA, transposeA: transposeA,
                b: b.storage.pointer, strideB: sB, transposeB: transposeB,
                c: o.baseAddress!, strideC: m * n, accumulate: false)
        }
        return out.recorded("batchedMatmul", [self, other]) { g in
            let gp = g.storage.pointer
            // dA: op(A) = G · op(B)ᵀ.
            let ga = Tensor(shape: a.shape) { o in
                if transposeA {
                    // A = op(B) · Gᵀ
                    gemmBatched(
                        batch: count, m: ka, n: m, k: n, a: b.storage.pointer, strideA: sB, transposeA: transposeB,
                        b: gp, strideB: m * n, transposeB: true, c: o.baseAddress!, strideC: sA, accumulate: false)
                } else {
                    gemmBatched(
                        batch: count, m: m, n: ka, k: n, a: gp, strideA: m * n, transposeA: false,
                        b: b.storage.pointer, strideB: sB, transposeB: !transposeB, c: o.baseAddress!, strideC: sA, accumulate: false)
                }
            }
            // dB: op(B) = op(A)ᵀ · G.
            let gb = Tensor(shape: b.shape) { o in
                if transposeB {
                    // B = Gᵀ · op(A)
                    gemmBatched(
                        batch: count, m: n, n: ka, k: m, a: gp, strideA: m * n, transposeA: true,
                        b: a.storage.pointer, strideB: sA, transposeB: transposeA, c: o.baseAddress!, strideC: sB, accumulate: false)
                } else {
                    gemmBatched(
                        batch: count, m: ka, n: n, k: m, a: a.storage.pointer, strideA: sA, transposeA: !transposeA,
                        b: gp, strideB: m * n, transposeB: false, c: o.baseAddress!, strideC: sB, accumulate: false)
                }
            }
            return [ga, gb]
        }
    }
}
