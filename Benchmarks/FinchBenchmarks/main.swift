// Foundation benchmarks: GEMM through Finch vs raw cblas, row ops forward and
// backward, and an MLP training step. Run through Benchmarks/run_foundation.sh,
// which runs the PyTorch side in the same session and prints ratios.
import CFinchBLAS
import FinchNN
import FinchTensor
import Foundation

/// Median wall time in seconds of `body` after `warmup` untimed calls.
func medianSeconds(repeats: Int, warmup: Int = 2, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    times.sort()
    return times[times.count / 2]
}

/// One result line: `name<TAB>seconds<TAB>extra`.
func report(_ name: String, _ seconds: Double, _ extra: String = "") {
    print("\(name)\t\(String(format: "%.6f", seconds))\t\(extra)")
    fflush(nil)
}

func benchMatmul(threads: [Int32]) {
    let shapes = [(4096, 384, 384), (4096, 1536, 384), (4096, 384, 1536)]  // M, N, K of y = x·Wᵀ
    var rng = FinchRNG(seed: 1)
    for t in threads {
        openblas_set_num_threads(t)
        Parallel.threadCount = Int(t)
        for (m, n, k) in shapes {
            let flops = 2.0 * Double(m) * Double(n) * Double(k)
            // Linear forward: x [m,k] · Wᵀ (W [n,k]); backward dx = g [m,n] · W; dW = gᵀ · x.
            let x = Tensor.randomNormal([m, k], rng: &rng), w = Tensor.randomNormal([n, k], rng: &rng)
            let g = Tensor.randomNormal([m, n], rng: &rng)
            let cases: [(String, Tensor, Tensor, Bool, Bool, Int, Int, Int)] = [
                ("NT", x, w, false, true, m, n, k),  // forward
                ("NN", g, w, false, false, m, k, n),  // input gradient
                ("TN", g, x, true, false, n, k, m),  // weight gradient
            ]
            for (label, a, b, ta, tb, mm, nn, kk) in cases {
                // Finch threads GEMMs itself over single-threaded BLAS calls (FINCH_BLAS_THREADS=openblas: BLAS's threads).
                openblas_set_num_threads(GEMMThreading.finchThreads ? 1 : t)
                let finch = medianSeconds(repeats: 7) { _ = a.matmul(b, transposeA: ta, transposeB: tb) }
                openblas_set_num_threads(t)
                let c = UnsafeMutablePointer<Float>.allocate(capacity: mm * nn)
                let raw = medianSeconds(repeats: 7) {
                    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                                Int32(mm), Int32(nn), Int32(kk), 1, a.storage.pointer, Int32(ta ? mm : kk),
                                b.storage.pointer, Int32(tb ? kk : nn), 0, c, Int32(nn))
                }
                c.deallocate()
                let name = "matmul.\(m)x\(n)x\(k).\(label).t\(t)"
                report(name + ".finch", finch, String(format: "%.1f GFLOP/s", flops / finch / 1e9))
                report(name + ".cblas", raw, String(format: "%.1f GFLOP/s", flops / raw / 1e9))
            }
        }
    }
    Parallel.threadCount = ProcessInfo.processInfo.activeProcessorCount
}

func benchRowOps() {
    var rng = FinchRNG(seed: 2)
    for shape in [[32 * 128, 384], [32 * 12 * 128, 128]] {
        let tag = shape.map(String.init).joined(separator: "x")
        let x = Tensor.randomNormal(shape, rng: &rng)
        let r = Tensor.randomNormal(shape, rng: &rng)
        let n = shape[1]
        let w = Tensor.randomNormal([n], rng: &rng), b = Tensor.randomNormal([n], rng: &rng)
        let ops: [(String, (Tensor, Tensor, Tensor) -> Tensor)] = [
            ("softmax", { x, _, _ in x.softmax() }),
            ("layernorm", { x, w, b in x.layerNorm(weight: w, bias: b, eps: 1e-12) }),
            ("gelu", { x, _, _ in x.gelu() }),
            ("add_bias", { x, _, b in x + b }),
            ("mul", { x, _, _ in x * x }),
        ]
        for (name, f) in ops {
            let fwd = medianSeconds(repeats: 9) { _ = withoutGradient { f(x, w, b) } }
            report("\(name).\(tag).forward", fwd)
            let fb = medianSeconds(repeats: 9) {
                let xl = x.requiringGrad(), wl = w.requiringGrad(), bl = b.requiringGrad()
                let y = f(xl, wl, bl)
                y.backward(r)
            }
            report("\(name).\(tag).forward_backward", fb)
        }
    }
}

let args = CommandLine.arguments.dropFirst()
let which = Set(args.isEmpty ? ["matmul", "ops", "mlp"] : Array(args))
if which.contains("matmul") { benchMatmul(threads: [1, 2]) }
if which.contains("ops") { benchRowOps() }
if which.contains("mlp") { benchMLP() }
if which.contains("train-step") { benchTrainStep() }
