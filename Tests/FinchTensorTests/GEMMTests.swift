import CFinchKernels
import Foundation
import Testing

@testable import FinchTensor

/// Finch's GEMM against a naive Double reference: every transpose combination,
/// odd shapes (1, 7, 33, 127, 385 in each dimension), leading dimensions
/// larger than the matrices, beta ≠ 0, every micro-kernel the CPU can run,
/// 1 and 2 threads; and the same bits whatever the thread count.
@Suite(.serialized) struct GEMMTests {
    /// The levels this CPU can run, widest first.
    static var levels: [KernelDispatch.Level] {
        [.avx512, .avx2, .portable].filter { $0 <= KernelDispatch.cpuLevel }
    }

    /// Shapes (m, n, k): every triple of 1, 7, 33, and 127 and 385 in each
    /// dimension with small others, plus two larger ones.
    static let shapes: [(Int, Int, Int)] = {
        var s: [(Int, Int, Int)] = []
        for m in [1, 7, 33] { for n in [1, 7, 33] { for k in [1, 7, 33] { s.append((m, n, k)) } } }
        for big in [127, 385] { s += [(big, 7, 33), (33, big, 7), (7, 33, big), (big, big, 1)] }
        s += [(127, 127, 127), (61, 385, 127)]
        return s
    }()

    /// A column-major-free description of one product with padded leading dimensions.
    struct Case {
        let m: Int, n: Int, k: Int, ta: Bool, tb: Bool, alpha: Float, beta: Float
        var rowsA: Int { ta ? k : m }
        var colsA: Int { ta ? m : k }
        var rowsB: Int { tb ? n : k }
        var colsB: Int { tb ? k : n }
        var lda: Int { colsA + 3 }
        var ldb: Int { colsB + 5 }
        var ldc: Int { n + 2 }
    }

    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var rng = FinchRNG(seed: seed)
        return (0..<count).map { _ in rng.nextNormal() }
    }

    /// C as `gemm` leaves it, and the reference with a per-element error bound;
    /// the reference sees the operands through `rounding` (bf16 products).
    static func check(
        _ t: Case, seed: UInt64, rounding: (Float) -> Float = { $0 }, gemm: (Case, [Float], [Float], inout [Float]) -> Void
    ) -> (Float, Float) {
        let a = values(t.rowsA * t.lda, seed: seed), b = values(t.rowsB * t.ldb, seed: seed + 1)
        var c = values(t.m * t.ldc, seed: seed + 2)
        let c0 = c
        if t.beta == 0 { for i in 0..<t.m { c[i * t.ldc] = .nan } }  // beta 0 must not read C
        gemm(t, a, b, &c)
        var worst: Float = 0
        for i in 0..<t.m {
            for j in 0..<t.ldc {
                let got = c[i * t.ldc + j]
                if j >= t.n {  // padding between rows stays as it was
                    if got != c0[i * t.ldc + j] { return (.infinity, 0) }
                    continue
                }
                var s = 0.0, mag = 0.0
                for p in 0..<t.k {
                    let x = Double(rounding(t.ta ? a[p * t.lda + i] : a[i * t.lda + p]))
                    let y = Double(rounding(t.tb ? b[j * t.ldb + p] : b[p * t.ldb + j]))
                    s += x * y
                    mag += Swift.abs(x * y)
                }
                let ref = Double(t.alpha) * s + (t.beta == 0 ? 0 : Double(t.beta) * Double(c0[i * t.ldc + j]))
                let err = Float(Swift.abs(Double(got) - ref))
                let tol = Float(2e-6 * (Double(Swift.abs(t.alpha)) * mag + Swift.abs(Double(t.beta * c0[i * t.ldc + j]))) + 1e-6)
                if !(err <= tol) { return (err.isNaN ? .infinity : err, tol) }
                worst = Swift.max(worst, err / tol)
            }
        }
        return (worst, 1)
    }

    static func cases(_ shapes: [(Int, Int, Int)]) -> [Case] {
        var out: [Case] = []
        for (i, (m, n, k)) in shapes.enumerated() {
            for ta in [false, true] {
                for tb in [false, true] {
                    let (alpha, beta): (Float, Float) = [(1, 0), (0.5, 1), (-1.5, 0.25)][(i + (ta ? 1 : 0) + (tb ? 2 : 0)) % 3]
                    out.append(Case(m: m, n: n, k: k, ta: ta, tb: tb, alpha: alpha, beta: beta))
                }
            }
        }
        return out
    }

    @Test(arguments: levels)
    func everyMicroKernelMatchesTheReference(level: KernelDispatch.Level) {
        for (i, t) in Self.cases(Self.shapes).enumerated() {
            let (err, tol) = Self.check(t, seed: UInt64(i)) { t, a, b, c in
                finch_sgemm_at_level(
                    level.rawValue, t.ta ? 1 : 0, t.tb ? 1 : 0, t.m, t.n, t.k, t.alpha, a, t.lda, b, t.ldb,
                    t.beta, &c, t.ldc)
            }
            #expect(err <= tol, "\(level.name) \(t): error \(err) over bound")
        }
    }

    @Test func smallBlockingCoversEveryBlockEdge() {
        // Blocks smaller than the shapes: several kc slices (beta applied once), mc and nc edges.
        finch_gemm_set_blocking(24, 16, 64)
        defer { finch_gemm_set_blocking(0, 0, 0) }
        var (mc, kc, nc) = (0, 0, 0)
        finch_gemm_blocking(&mc, &kc, &nc)
        #expect(kc == 16 && nc >= 32 && mc >= 4)
        for level in Self.levels {
            for (i, t) in Self.cases([(127, 33, 385), (33, 385, 127), (385, 127, 33)]).enumerated() {
                let (err, tol) = Self.check(t, seed: UInt64(100 + i)) { t, a, b, c in
                    finch_sgemm_at_level(
                        level.rawValue, t.ta ? 1 : 0, t.tb ? 1 : 0, t.m, t.n, t.k, t.alpha, a, t.lda, b,
                        t.ldb, t.beta, &c, t.ldc)
                }
                #expect(err <= tol, "\(level.name) \(t): error \(err) over bound")
            }
        }
    }

    @Test(arguments: [1, 2])
    func publicAPIMatchesTheReferenceOnFinchWorkers(threads: Int) {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        let shapes = [(385, 61, 33), (61, 385, 33), (1, 385, 127), (385, 1, 7), (150, 200, 70)]
        for backend in GEMMBackend.allCases {
            for (i, t) in Self.cases(shapes).enumerated() {
                let (err, tol) = Self.check(t, seed: UInt64(200 + i)) { t, a, b, c in
                    a.withUnsafeBufferPointer { pa in
                        b.withUnsafeBufferPointer { pb in
                            c.withUnsafeMutableBufferPointer { pc in
                                GEMM.sgemmParallel(
                                    transposeA: t.ta, transposeB: t.tb, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
                                    a: pa.baseAddress!, lda: t.lda, b: pb.baseAddress!, ldb: t.ldb, beta: t.beta,
                                    c: pc.baseAddress!, ldc: t.ldc, backend: backend)
                            }
                        }
                    }
                }
                #expect(err <= tol, "\(backend) threads \(threads) \(t): error \(err) over bound")
            }
        }
    }

    /// Finch's fp32 GEMM and its bf16 form (BF16GEMMTests) alike.
    @Test(arguments: MatmulPrecision.allCases)
    func sameBitsWhateverTheThreadCount(precision: MatmulPrecision) {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        for (m, n, k, ta, tb) in [(517, 129, 77, false, true), (97, 611, 45, true, false), (300, 300, 301, false, false)] {
            let a = Self.values(m * k, seed: 1), b = Self.values(k * n, seed: 2)
            var results: [[Float]] = []
            for threads in [1, 2, 3, 5] {
                Parallel.threadCount = threads
                var c = [Float](repeating: 0, count: m * n)
                GEMM.sgemmParallel(
                    transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a, lda: ta ? m : k, b: b,
                    ldb: tb ? k : n, c: &c, ldc: n, backend: .finch, precision: precision)
                results.append(c)
            }
            var single = [Float](repeating: 0, count: m * n)
            let product = precision == .bf16 ? finch_sbgemm : finch_sgemm
            product(ta ? 1 : 0, tb ? 1 : 0, m, n, k, 1, a, ta ? m : k, b, tb ? k : n, 0, &single, n)
            for r in results { #expect(r == single, "\(precision) \(m)x\(n)x\(k): results differ across thread counts") }
        }
    }

    @Test func stridedBatchedMatchesOneProductPerSlice() {
        // Attention's layout: head h of row block b is a slice with leading dimension heads·d.
        let (batch, s, d, heads) = (3, 13, 8, 2)
        let h = heads * d
        let q = Self.values(batch * s * h, seed: 5), k = Self.values(batch * s * h, seed: 6)
        for backend in GEMMBackend.allCases {
            var batched = [Float](repeating: 0, count: batch * s * s)
            GEMM.sgemmStridedBatched(
                transposeB: true, m: s, n: s, k: d, alpha: 0.5, a: q, lda: h, strideA: s * h, b: k, ldb: h,
                strideB: s * h, c: &batched, ldc: s, strideC: s * s, batch: batch, backend: backend)
            for i in 0..<batch {
                for r in 0..<s {
                    for c in 0..<s {
                        var ref: Float = 0
                        for p in 0..<d { ref += q[i * s * h + r * h + p] * k[i * s * h + c * h + p] }
                        #expect(Swift.abs(batched[i * s * s + r * s + c] - 0.5 * ref) < 1e-5)
                    }
                }
            }
        }
    }

    @Test func gemvMatchesTheReferenceBothWays() {
        let (m, n) = (37, 29)
        let a = Self.values(m * (n + 3), seed: 9), x = Self.values(Swift.max(m, n), seed: 10)
        for backend in GEMMBackend.allCases {
            for transpose in [false, true] {
                let len = transpose ? n : m
                var y = Self.values(len, seed: 11)
                let y0 = y
                GEMM.sgemv(transpose: transpose, m: m, n: n, alpha: 2, a: a, lda: n + 3, x: x, beta: 0.5, y: &y, backend: backend)
                for i in 0..<len {
                    var s: Float = 0
                    for p in 0..<(transpose ? m : n) { s += (transpose ? a[p * (n + 3) + i] : a[i * (n + 3) + p]) * x[p] }
                    #expect(Swift.abs(y[i] - (2 * s + 0.5 * y0[i])) < 1e-4, "\(backend) transpose \(transpose) row \(i)")
                }
            }
        }
    }
}
