import CFinchKernels
import Foundation
import Testing

@testable import FinchTensor

/// Finch's int8 GEMM (u8 × s8 → s32): exact integer sums against a scalar
/// reference on odd shapes, for every micro-kernel the CPU can run (AVX-512
/// VNNI, AVX2, portable); the dequantizing epilogue against the same formula
/// in Double and against the float product within the quantization error
/// bound; the quantizers' own bounds; the FINCH_DISABLE_VNNI switch; and the
/// Swift entry point on 1 and 2 threads.
@Suite(.serialized) struct Int8GEMMTests {
    /// The int8 levels this CPU can run, widest first (`.avx512` = VNNI).
    static var levels: [KernelDispatch.Level] {
        let vnni = KernelDispatch.cpuLevel == .avx512 && KernelDispatch.cpuFeatures.contains("avx512vnni")
        return [.avx512, .avx2, .portable].filter { $0 == .avx512 ? vnni : $0 <= KernelDispatch.cpuLevel }
    }

    /// (m, n, k): triples of 1, 7, 33 plus 127 and 385 in each dimension, a k
    /// that is no multiple of 4, and a k deep enough for several kc slices.
    static let shapes: [(Int, Int, Int)] = {
        var s: [(Int, Int, Int)] = []
        for m in [1, 7, 33] { for n in [1, 7, 33] { for k in [1, 7, 33] { s.append((m, n, k)) } } }
        for big in [127, 385] { s += [(big, 7, 33), (33, big, 7), (7, 33, big), (big, big, 3)] }
        s += [(61, 97, 130), (13, 37, 9_001)]
        return s
    }()

    static func bytes<T: FixedWidthInteger>(_ count: Int, seed: UInt64, as: T.Type) -> [T] {
        var rng = FinchRNG(seed: seed)
        return (0..<count).map { _ in T(truncatingIfNeeded: rng.next()) }
    }

    static func normals(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = FinchRNG(seed: seed)
        return (0..<count).map { _ in scale * rng.nextNormal() }
    }

    /// The exact sums Σ_p a[i][p] · b[j][p] in Int64.
    static func reference(m: Int, n: Int, k: Int, a: [UInt8], lda: Int, b: [Int8], ldb: Int) -> [Int64] {
        var c = [Int64](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s: Int64 = 0
                for p in 0..<k { s += Int64(a[i * lda + p]) * Int64(b[j * ldb + p]) }
                c[i * n + j] = s
            }
        }
        return c
    }

    @Test(arguments: levels)
    func integerSumsAreExactOnEveryKernel(level: KernelDispatch.Level) {
        for (index, (m, n, k)) in Self.shapes.enumerated() {
            let lda = k + 3, ldb = k + 5, ldc = n + 2
            let a = Self.bytes(m * lda, seed: UInt64(10 * index), as: UInt8.self)
            let b = Self.bytes(n * ldb, seed: UInt64(10 * index + 1), as: Int8.self)
            var c = [Int32](repeating: -7, count: m * ldc)
            finch_gemm_u8s8s32_at_level(level.rawValue, m, n, k, a, lda, b, ldb, &c, ldc)
            let ref = Self.reference(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb)
            var wrong = 0
            for i in 0..<m {
                for j in 0..<ldc {
                    let got = c[i * ldc + j]
                    if j >= n {
                        if got != -7 { wrong += 1 }  // padding between rows stays as it was
                    } else if Int64(got) != ref[i * n + j] {
                        wrong += 1
                    }
                }
            }
            #expect(wrong == 0, "\(level.name) \(m)x\(n)x\(k): \(wrong) elements wrong")
        }
    }

    @Test(arguments: levels)
    func extremeValuesDoNotSaturate(level: KernelDispatch.Level) {
        // 255 · (−128) pairs overflow 16 bits (vpmaddubsw would saturate); the sums must stay exact.
        let (m, n, k) = (5, 19, 1_029)
        let a = [UInt8](repeating: 255, count: m * k)
        var b = [Int8](repeating: -128, count: n * k)
        for p in stride(from: 0, to: n * k, by: 3) { b[p] = 127 }
        var c = [Int32](repeating: 0, count: m * n)
        finch_gemm_u8s8s32_at_level(level.rawValue, m, n, k, a, k, b, k, &c, n)
        let ref = Self.reference(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k)
        #expect(c.map(Int64.init) == ref, "\(level.name): saturated or wrong sums")
    }

    /// Random activations and weights, quantized with Finch's quantizers.
    struct Quantized {
        let m: Int, n: Int, k: Int
        let x: [Float], w: [Float], bias: [Float]
        var q: [UInt8], rowScale: [Float], rowZero: [Int32]
        var wq: [Int8], colScale: [Float], colSum: [Int32]

        init(m: Int, n: Int, k: Int, seed: UInt64) {
            self.m = m
            self.n = n
            self.k = k
            // Activations with an offset (asymmetric range) and weights of BERT's magnitude.
            x = Int8GEMMTests.normals(m * k, seed: seed).map { $0 + 0.3 }
            w = Int8GEMMTests.normals(n * k, seed: seed + 1, scale: 0.05)
            bias = Int8GEMMTests.normals(n, seed: seed + 2)
            q = [UInt8](repeating: 0, count: m * k)
            rowScale = [Float](repeating: 0, count: m)
            rowZero = [Int32](repeating: 0, count: m)
            wq = [Int8](repeating: 0, count: n * k)
            colScale = [Float](repeating: 0, count: n)
            colSum = [Int32](repeating: 0, count: n)
            finch_quantize_rows_u8(m, k, x, k, &q, k, &rowScale, &rowZero)
            finch_quantize_weights_s8(n, k, w, k, &wq, k, &colScale, &colSum)
        }

        /// out via the dequantizing GEMM at `level`, leading dimension n + 1.
        func run(level: KernelDispatch.Level) -> [Float] {
            var out = [Float](repeating: .nan, count: m * (n + 1))
            rowScale.withUnsafeBufferPointer { rs in
                rowZero.withUnsafeBufferPointer { rz in
                    colScale.withUnsafeBufferPointer { cs in
                        colSum.withUnsafeBufferPointer { csum in
                            bias.withUnsafeBufferPointer { bb in
                                var dq = finch_dequant(
                                    row_scale: rs.baseAddress, row_zero: rz.baseAddress, col_scale: cs.baseAddress,
                                    col_sum: csum.baseAddress, bias: bb.baseAddress)
                                finch_gemm_u8s8_dequant_at_level(level.rawValue, m, n, k, q, k, wq, k, &dq, &out, n + 1)
                            }
                        }
                    }
                }
            }
            return out
        }
    }

    @Test(arguments: levels)
    func dequantizedProductIsWithinTheQuantizationBound(level: KernelDispatch.Level) {
        for (index, (m, n, k)) in [(1, 1, 1), (7, 33, 127), (33, 7, 385), (127, 61, 33), (13, 37, 5_003)].enumerated() {
            let t = Quantized(m: m, n: n, k: k, seed: UInt64(100 + 7 * index))
            let out = t.run(level: level)
            var overExact = 0, overBound = 0
            for i in 0..<m {
                #expect(out[i * (n + 1) + n].isNaN, "the padding column was written")
                for j in 0..<n {
                    let got = Double(out[i * (n + 1) + j])
                    // 1. The epilogue's formula on the exact sum, in Double.
                    var sum: Int64 = 0
                    for p in 0..<k { sum += Int64(t.q[i * k + p]) * Int64(t.wq[j * k + p]) }
                    let rs = Double(t.rowScale[i]), cs = Double(t.colScale[j])
                    let exact = rs * cs * Double(sum - Int64(t.rowZero[i]) * Int64(t.colSum[j])) + Double(t.bias[j])
                    if Swift.abs(got - exact) > 1e-5 * (Swift.abs(exact) + 1) { overExact += 1 }
                    // 2. The float product: |x·w − x̂·ŵ| ≤ Σ |x − x̂||w| + |x̂||w − ŵ| ≤ rs/2·Σ|w| + cs/2·Σ(|x| + rs/2).
                    var float = Double(t.bias[j]), sumW = 0.0, sumX = 0.0
                    for p in 0..<k {
                        let x = Double(t.x[i * k + p]), w = Double(t.w[j * k + p])
                        float += x * w
                        sumW += Swift.abs(w)
                        sumX += Swift.abs(x) + rs / 2
                    }
                    let bound = rs / 2 * sumW + cs / 2 * sumX
                    if Swift.abs(got - float) > bound * 1.001 + 1e-5 { overBound += 1 }
                }
            }
            #expect(overExact == 0, "\(level.name) \(m)x\(n)x\(k): \(overExact) differ from the epilogue's formula")
            #expect(overBound == 0, "\(level.name) \(m)x\(n)x\(k): \(overBound) outside the quantization bound")
        }
    }

    @Test func quantizersStayWithinHalfAStep() {
        let (m, k) = (9, 301)
        var x = Self.normals(m * k, seed: 3)
        for p in 0..<k { x[2 * k + p] = 0 }  // an all-zero row
        for p in 0..<k { x[3 * k + p] = Swift.abs(x[3 * k + p]) }  // only positive: zero point 0
        var q = [UInt8](repeating: 0, count: m * k), scale = [Float](repeating: 0, count: m)
        var zero = [Int32](repeating: -1, count: m)
        finch_quantize_rows_u8(m, k, x, k, &q, k, &scale, &zero)
        #expect(scale[2] == 1 && zero[2] == 0 && q[(2 * k)..<(3 * k)].allSatisfy { $0 == 0 })
        #expect(zero[3] == 0)
        for i in 0..<m {
            #expect((0...255).contains(zero[i]))
            let lo = x[(i * k)..<((i + 1) * k)].min()!, hi = x[(i * k)..<((i + 1) * k)].max()!
            if i != 2 { #expect(Swift.abs(scale[i] - (Swift.max(hi, 0) - Swift.min(lo, 0)) / 255) <= 1e-6 * scale[i]) }
            for p in 0..<k {
                let back = scale[i] * Float(Int32(q[i * k + p]) - zero[i])
                #expect(Swift.abs(back - x[i * k + p]) <= scale[i] * 0.5001, "row \(i) col \(p)")
            }
        }
        let (n, depth) = (6, 77)
        var w = Self.normals(n * depth, seed: 4)
        for p in 0..<depth { w[depth + p] = 0 }
        let weights = QuantizedWeights(quantizing: w, outputs: n, inputs: depth)
        #expect(weights.scales[1] == 1 && weights.columnSums[1] == 0)
        let back = weights.dequantized()
        for j in 0..<n {
            let amax = w[(j * depth)..<((j + 1) * depth)].map { Swift.abs($0) }.max()!
            if j != 1 { #expect(weights.scales[j] == amax / 127) }
            #expect(weights.columnSums[j] == weights.values[(j * depth)..<((j + 1) * depth)].reduce(0) { $0 + Int32($1) })
            for p in 0..<depth {
                #expect((-127...127).contains(weights.values[j * depth + p]))
                #expect(Swift.abs(back[j * depth + p] - w[j * depth + p]) <= weights.scales[j] * 0.5001)
            }
        }
        let reread = QuantizedWeights(values: weights.values, scales: weights.scales, outputs: n, inputs: depth)
        #expect(reread == weights)
        #expect(QuantizedWeights(values: weights.values, scales: [1], outputs: n, inputs: depth) == nil)
    }

    @Test func activationQuantizerGivesTheSameBytesOnEveryPath() {
        // The AVX-512 quantizer (row range, division, rounding to nearest even) and the portable one agree exactly,
        // on row lengths with and without a tail and on values exactly halfway between two steps.
        defer { KernelDispatch.force(nil) }
        for (m, k) in [(5, 37), (3, 64), (2, 1)] {
            var x = Self.normals(m * k, seed: UInt64(k))
            x[0] = -1
            if k > 2 {
                x[1] = 1
                x[2] = 0.5 * (2 / 255)  // half a step of the row's range [-1, 1]
            }
            var results: [[UInt8]] = [], scales: [[Float]] = [], zeros: [[Int32]] = []
            for level in [KernelDispatch.Level.avx512, .avx2, .portable] where level <= KernelDispatch.cpuLevel {
                KernelDispatch.force(level)
                var q = [UInt8](repeating: 0, count: m * k), scale = [Float](repeating: 0, count: m)
                var zero = [Int32](repeating: 0, count: m)
                finch_quantize_rows_u8(m, k, x, k, &q, k, &scale, &zero)
                results.append(q)
                scales.append(scale)
                zeros.append(zero)
            }
            #expect(results.allSatisfy { $0 == results[0] }, "\(m)x\(k): quantized bytes differ between paths")
            #expect(scales.allSatisfy { $0 == scales[0] } && zeros.allSatisfy { $0 == zeros[0] })
        }
    }

    @Test func disableVNNISwitchSelectsTheFallback() throws {
        let saved = ProcessInfo.processInfo.environment["FINCH_DISABLE_VNNI"]
        defer {
            if let saved { setenv("FINCH_DISABLE_VNNI", saved, 1) } else { unsetenv("FINCH_DISABLE_VNNI") }
            KernelDispatch.reloadEnvironment()
        }
        unsetenv("FINCH_DISABLE_VNNI")
        KernelDispatch.reloadEnvironment()
        let before = KernelDispatch.level(of: .int8)
        #expect((before == .avx512) == (Self.levels.first == .avx512 && !KernelDispatch.avx512DisabledByEnvironment))
        #expect(KernelDispatch.int8Kernel.hasPrefix(before == .avx512 ? "avx512-vnni " : before.name + " "))
        setenv("FINCH_DISABLE_VNNI", "1", 1)
        KernelDispatch.reloadEnvironment()
        #expect(KernelDispatch.vnniDisabledByEnvironment)
        let after = KernelDispatch.level(of: .int8)
        #expect(after < .avx512 && !KernelDispatch.int8Kernel.hasPrefix("avx512"))
        if before == .avx512 { #expect(after == .avx2) }
        // The other families keep their level: the switch is the int8 kernel's alone.
        #expect(KernelDispatch.level(of: .gemm) == KernelDispatch.level)
    }

    @Test(arguments: [1, 2])
    func linearOnFinchWorkersMatchesOneCall(threads: Int) {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        for (rows, n, k) in [(300, 61, 130), (17, 385, 64), (1, 7, 3)] {
            let t = Quantized(m: rows, n: n, k: k, seed: 77)
            let weights = QuantizedWeights(quantizing: t.w, outputs: n, inputs: k)
            #expect(weights.values == t.wq && weights.scales == t.colScale && weights.columnSums == t.colSum)
            var y = [Float](repeating: .nan, count: rows * n)
            t.x.withUnsafeBufferPointer { x in
                t.bias.withUnsafeBufferPointer { b in
                    y.withUnsafeMutableBufferPointer { yb in
                        Int8GEMM.linear(x.baseAddress!, rows: rows, weights: weights, bias: b.baseAddress, into: yb.baseAddress!)
                    }
                }
            }
            let single = t.run(level: KernelDispatch.level(of: .int8))
            var same = true
            for i in 0..<rows { for j in 0..<n where y[i * n + j] != single[i * (n + 1) + j] { same = false } }
            #expect(same, "\(rows)x\(n)x\(k) on \(threads) threads differs from one single-threaded call")
        }
    }
}
