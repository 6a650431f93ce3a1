import CFinchKernels
import Foundation
import Testing

@testable import FinchTensor

/// The bf16 mixed-precision GEMM (`finch_sbgemm`, `MatmulPrecision.bf16`):
/// its rounding against the CPU's own conversion, both variants (bf16
/// instructions where the CPU has them, the rounded fp32 path everywhere)
/// against a Double reference on rounded operands for every transpose and odd
/// shapes, and autocast in `linear` (the same bits whatever the thread count:
/// GEMMTests.sameBitsWhateverTheThreadCount).
@Suite(.serialized) struct BF16GEMMTests {
    /// The variants this CPU runs: the bf16 instructions (1) where present, and the emulation (0).
    static var variants: [Int32] { MatmulPrecision.bf16IsNative ? [1, 0] : [0] }

    static func bits(_ x: Float) -> UInt32 { x.bitPattern }

    @Test func roundingIsToNearestEvenWithDenormalsFlushed() {
        let one = Float(1)
        #expect(finch_bf16_round(1 + 0x1p-8) == 1)  // a tie: to the even neighbour 1
        #expect(finch_bf16_round(1 + 0x1p-7 + 0x1p-8) == 1 + 0x1p-6)  // a tie: up to the even neighbour
        #expect(finch_bf16_round(1 + 0x1p-8 + 0x1p-20) == 1 + 0x1p-7)  // above the tie: up
        #expect(finch_bf16_round(-3.0) == -3.0)
        #expect(finch_bf16_round(.infinity) == .infinity && finch_bf16_round(-.infinity) == -.infinity)
        #expect(finch_bf16_round(.greatestFiniteMagnitude) == .infinity)  // past bf16's largest finite value
        #expect(finch_bf16_round(.nan).isNaN)
        #expect(finch_bf16_round(Float(bitPattern: 0x0001_2345)) == 0)  // a denormal
        #expect(finch_bf16_round(Float.leastNormalMagnitude) == .leastNormalMagnitude)
        guard MatmulPrecision.bf16IsNative else { return }
        // The CPU's conversion (through a 1×1×1 product with 1) agrees with the scalar rounding.
        var rng = FinchRNG(seed: 7)
        var differ = 0
        for i in 0..<20_000 {
            var u = UInt32(truncatingIfNeeded: rng.next())
            if i % 3 == 0 { u = (u & 0xFFFF_0000) | 0x8000 }  // exact ties
            if i % 5 == 0 { u &= 0x807F_FFFF }  // denormals
            var x = Float(bitPattern: u)
            if x.isInfinite { continue }
            var c: Float = 0
            finch_sbgemm_variant(1, 0, 0, 1, 1, 1, 1, &x, 1, [one], 1, 0, &c, 1)
            let r = finch_bf16_round(x)
            if !(c == r || (c.isNaN && r.isNaN)) { differ += 1 }
        }
        #expect(differ == 0)
    }

    /// C as the variant leaves it against alpha·Σ bf16(a)·bf16(b) + beta·C in Double.
    static func check(_ t: GEMMTests.Case, seed: UInt64, variant: Int32) -> (Float, Float) {
        GEMMTests.check(t, seed: seed, rounding: finch_bf16_round) { t, a, b, c in
            finch_sbgemm_variant(
                variant, t.ta ? 1 : 0, t.tb ? 1 : 0, t.m, t.n, t.k, t.alpha, a, t.lda, b, t.ldb, t.beta, &c, t.ldc)
        }
    }

    @Test(arguments: variants)
    func everyTransposeAndOddShapeMatchesTheRoundedReference(variant: Int32) {
        let shapes = GEMMTests.shapes + [(50, 70, 2101), (13, 97, 1030)]  // several (odd) depth slices
        for (i, t) in GEMMTests.cases(shapes).enumerated() {
            let (err, tol) = Self.check(t, seed: UInt64(300 + i), variant: variant)
            #expect(err <= tol, "variant \(variant) \(t): error \(err) over bound")
        }
    }

    @Test func bf16DiffersFromFP32ByTheRoundingOnly() {
        // Operands with more than 8 significant bits: bf16 and fp32 products differ, and the
        // bf16 one is what the rounded operands give in fp32.
        let (m, n, k) = (40, 50, 60)
        let a = GEMMTests.values(m * k, seed: 1), b = GEMMTests.values(k * n, seed: 2)
        var fp32 = [Float](repeating: 0, count: m * n), bf16 = fp32, rounded = fp32
        finch_sgemm(0, 0, m, n, k, 1, a, k, b, n, 0, &fp32, n)
        finch_sbgemm(0, 0, m, n, k, 1, a, k, b, n, 0, &bf16, n)
        finch_sgemm(0, 0, m, n, k, 1, a.map(finch_bf16_round), k, b.map(finch_bf16_round), n, 0, &rounded, n)
        let offFP32 = zip(fp32, bf16).map { Swift.abs($0 - $1) }.max()!
        let offRounded = zip(rounded, bf16).map { Swift.abs($0 - $1) }.max()!
        #expect(offFP32 > 1e-3)
        #expect(offRounded < 1e-4)
    }

    @Test func linearRunsItsProductsInTheTaskPrecision() {
        var rng = FinchRNG(seed: 3)
        let x = Tensor.randomNormal([6, 33], rng: &rng).requiringGrad()
        let w = Tensor.randomNormal([17, 33], rng: &rng).requiringGrad()
        let bias = Tensor.randomNormal([17], rng: &rng)
        let fp32 = x.linear(weight: w, bias: bias)
        let bf16 = MatmulPrecision.$current.withValue(.bf16) { x.linear(weight: w, bias: bias) }
        #expect(MatmulPrecision.current == .fp32)  // the scope ends with the closure
        // The reference: fp32 linear on operands rounded to bf16.
        let xr = Tensor(shape: x.shape, values: x.scalars.map(finch_bf16_round))
        let wr = Tensor(shape: w.shape, values: w.scalars.map(finch_bf16_round))
        let expected = xr.linear(weight: wr, bias: bias)
        let toRounded = zip(bf16.scalars, expected.scalars).map { Swift.abs($0 - $1) }.max()!
        let toFP32 = zip(bf16.scalars, fp32.scalars).map { Swift.abs($0 - $1) }.max()!
        #expect(toRounded < 1e-4)
        #expect(toFP32 > 1e-3)
        // The backward pass run in the same scope takes bf16 products too: dx = g · bf16(W).
        MatmulPrecision.$current.withValue(.bf16) { bf16.sum().backward() }
        let dx = x.grad!.scalars
        for (r, row) in stride(from: 0, to: dx.count, by: 33).enumerated() {
            for j in 0..<33 {
                let want = (0..<17).reduce(Float(0)) { $0 + wr.scalars[$1 * 33 + j] }
                #expect(Swift.abs(dx[row + j] - want) < 1e-4, "row \(r) column \(j)")
            }
        }
    }
}

/// The dropout mask kernel against the scalar SplitMix64 reference, on every
/// level, at offsets and lengths that leave partial vectors.
@Suite struct DropoutKernelTests {
    @Test func everyLevelMatchesTheScalarMask() {
        let levels: [KernelDispatch.Level] = [.avx512, .portable].filter { $0 <= KernelDispatch.cpuLevel }
        let x = GEMMTests.values(1000, seed: 9)
        let key: UInt64 = 0x1234_5678_9ABC_DEF0, threshold = UInt64(0.9 * 16_777_216)
        for (start, count) in [(0, 1000), (3, 997), (17, 5), (0, 16), (999, 1)] {
            let want = (0..<count).map { j in
                DropoutMask.bits(key, start + j) < threshold ? x[start + j] * 1.25 : 0
            }
            for level in levels {
                _ = KernelDispatch.force(level)
                var y = [Float](repeating: .nan, count: count)
                x.withUnsafeBufferPointer { px in
                    finch_dropout(px.baseAddress! + start, &y, start, count, key, threshold, 1.25)
                }
                _ = KernelDispatch.force(nil)
                #expect(y == want, "\(level.name) start \(start) count \(count)")
            }
        }
        #expect((0..<1000).filter { DropoutMask.bits(key, $0) >= threshold }.count > 50)  // some are dropped
    }
}

/// The AdamW kernel: every level gives the same bits (no fused multiply-adds),
/// with and without amsgrad's running maximum (NaN taken over), on lengths
/// that leave partial vectors; and it matches the update written out in Swift.
@Suite struct AdamWKernelTests {
    @Test func everyLevelGivesTheSameBitsAsTheFormula() {
        let levels: [KernelDispatch.Level] = [.avx512, .portable].filter { $0 <= KernelDispatch.cpuLevel }
        let (decay, omb1, beta2, omb2, bc2, eps, step): (Float, Float, Float, Float, Float, Float, Float) =
            (0.9999, 0.1, 0.999, 0.001, 0.0447, 1e-8, -1.3e-3)
        for count in [1, 15, 16, 37] {
            for amsgrad in [false, true] {
                var g = GEMMTests.values(count, seed: 1), m0 = GEMMTests.values(count, seed: 2)
                let v0 = GEMMTests.values(count, seed: 3).map { $0 * $0 }, p0 = GEMMTests.values(count, seed: 4)
                let max0 = GEMMTests.values(count, seed: 5).map { $0 * $0 }
                if count > 3 { g[3] = .nan }
                // The update written out, operation by operation.
                var want: [Float] = []
                for i in 0..<count {
                    let mi = m0[i] + omb1 * (g[i] - m0[i])
                    var vi = v0[i] * beta2 + omb2 * g[i] * g[i]
                    if amsgrad { vi = vi > max0[i] || vi.isNaN ? vi : max0[i] }
                    want.append(p0[i] * decay + step * mi / (vi.squareRoot() / bc2 + eps))
                }
                for level in levels {
                    _ = KernelDispatch.force(level)
                    var p = p0, m = m0, v = v0, vMax = max0
                    vMax.withUnsafeMutableBufferPointer { mx in
                        finch_adamw(
                            &p, g, &m, &v, amsgrad ? mx.baseAddress : nil, count, decay, omb1, beta2, omb2, bc2, eps, step)
                    }
                    _ = KernelDispatch.force(nil)
                    let same = zip(p, want).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
                    #expect(same, "\(level.name) count \(count) amsgrad \(amsgrad)")
                }
            }
        }
    }
}
