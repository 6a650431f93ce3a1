import FinchTensor
import Foundation

/// Int8 GEMM (issue 17): Linear forward y = x·Wᵀ + b on the BERT shapes with
/// Finch's float GEMM (Finch's kernel and OpenBLAS, both split across Finch's
/// workers) and with `Int8GEMM.linear` (per-row quantization of x included,
/// weights quantized once beforehand), at 1 and 2 threads. Prints
/// `int8.MxNxK.tT.<variant>  seconds  GOP/s`; the int8 micro-kernel in use
/// is on stderr (FINCH_DISABLE_VNNI=1 selects the AVX2 one).
func benchInt8(threads: [Int]) {
    FileHandle.standardError.write(Data("int8: kernel \(Int8GEMM.kernelName), float \(KernelDispatch.gemmKernel)\n".utf8))
    let shapes = [(4096, 384, 384), (4096, 1536, 384), (4096, 384, 1536)]
    var rng = FinchRNG(seed: 1)
    for t in threads {
        Parallel.threadCount = t
        for (m, n, k) in shapes {
            let ops = 2.0 * Double(m) * Double(n) * Double(k)
            let x = Tensor.randomNormal([m, k], rng: &rng), w = Tensor.randomNormal([n, k], rng: &rng)
            let bias = Tensor.randomNormal([n], rng: &rng)
            let weights = QuantizedWeights(quantizing: w.storage.pointer, outputs: n, inputs: k)
            let y = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
            defer { y.deallocate() }
            let tag = "int8.\(m)x\(n)x\(k).t\(t)"
            for backend in GEMMBackend.allCases {
                GEMMBackend.forced = backend
                GEMMThreading.setBLASThreads(1)
                let s = medianSeconds(repeats: 7) {
                    GEMM.sgemmParallel(
                        transposeB: true, m: m, n: n, k: k, a: x.storage.pointer, lda: k, b: w.storage.pointer,
                        ldb: k, c: y, ldc: n)
                }
                report("\(tag).float_\(backend.rawValue)", s, String(format: "%.1f GFLOP/s", ops / s / 1e9))
            }
            GEMMBackend.forced = nil
            let s = medianSeconds(repeats: 7) {
                Int8GEMM.linear(x.storage.pointer, rows: m, weights: weights, bias: bias.storage.pointer, into: y)
            }
            report("\(tag).int8_linear", s, String(format: "%.1f GOP/s", ops / s / 1e9))
        }
    }
}
