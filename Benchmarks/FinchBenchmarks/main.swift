// Foundation benchmarks: GEMM (Finch's kernel vs OpenBLAS, both threaded by Finch,
// and OpenBLAS threading itself), row ops forward and
// backward, and an MLP training step. Run through Benchmarks/run_foundation.sh,
// which runs the PyTorch side in the same session and prints ratios.
import FinchNN
import FinchTensor
import Foundation

/// True when FINCH_BENCH_CLOCK=cpu: times are the process's CPU seconds (all threads), which stay
/// meaningful when other jobs share the cores; otherwise wall seconds.
let cpuClock = ProcessInfo.processInfo.environment["FINCH_BENCH_CLOCK"] == "cpu"

/// Seconds on the chosen clock.
func clockSeconds() -> Double {
    if cpuClock {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
    return Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// Median time in seconds (wall, or CPU with FINCH_BENCH_CLOCK=cpu) of `body` after `warmup` untimed calls.
func medianSeconds(repeats: Int, warmup: Int = 2, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = clockSeconds()
        body()
        times.append(clockSeconds() - t0)
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
    let info =
        "matmul: Finch kernel \(KernelDispatch.gemmKernel), bf16 kernel \(MatmulPrecision.bf16KernelName), "
        + "OpenBLAS core \(BLASLibrary.coreName)\n"
    FileHandle.standardError.write(Data(info.utf8))
    let shapes = [(4096, 384, 384), (4096, 1536, 384), (4096, 384, 1536)]  // M, N, K of y = x·Wᵀ
    var rng = FinchRNG(seed: 1)
    for t in threads {
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
                let c = UnsafeMutablePointer<Float>.allocate(capacity: mm * nn)
                defer { c.deallocate() }
                let (pa, pb, lda, ldb) = (a.storage.pointer, b.storage.pointer, ta ? mm : kk, tb ? kk : nn)
                // Finch's kernel and OpenBLAS, both split across Finch's workers (single-threaded calls).
                var times: [(String, Double)] = []
                for backend in GEMMBackend.allCases {
                    GEMMBackend.forced = backend
                    GEMMThreading.setBLASThreads(1)
                    times.append(
                        (
                            backend.rawValue,
                            medianSeconds(repeats: 7) {
                                GEMM.sgemmParallel(
                                    transposeA: ta, transposeB: tb, m: mm, n: nn, k: kk, a: pa, lda: lda, b: pb,
                                    ldb: ldb, c: c, ldc: nn)
                            }
                        ))
                }
                // OpenBLAS threading itself: one call with `t` BLAS threads.
                GEMMBackend.forced = .blas
                GEMMThreading.setBLASThreads(Int(t))
                times.append(
                    (
                        "openblas",
                        medianSeconds(repeats: 7) {
                            GEMM.sgemm(
                                transposeA: ta, transposeB: tb, m: mm, n: nn, k: kk, a: pa, lda: lda, b: pb, ldb: ldb,
                                c: c, ldc: nn)
                        }
                    ))
                GEMMBackend.forced = nil
                GEMMThreading.setBLASThreads(1)
                // Finch's bf16 mixed-precision GEMM (operands rounded to bf16, fp32 sums), on Finch's workers.
                times.append(
                    (
                        "finch-bf16",
                        medianSeconds(repeats: 7) {
                            GEMM.sgemmParallel(
                                transposeA: ta, transposeB: tb, m: mm, n: nn, k: kk, a: pa, lda: lda, b: pb,
                                ldb: ldb, c: c, ldc: nn, precision: .bf16)
                        }
                    ))
                let name = "matmul.\(m)x\(n)x\(k).\(label).t\(t)"
                for (label, seconds) in times {
                    report(name + "." + label, seconds, String(format: "%.1f GFLOP/s", flops / seconds / 1e9))
                }
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
if which.contains("train-step-bf16") { benchTrainStep(precision: .bf16) }
if which.contains("int8") { benchInt8(threads: [1, 2]) }
