// Convolution speed: a LeNet training step (forward, cross-entropy, backward,
// SGD with momentum) on digits-sized batches, LeNet inference, and one
// convolution's forward + backward against the three GEMMs it reduces to.
// Run through Benchmarks/run_conv.sh, which runs Benchmarks/conv_reference.py
// (PyTorch, same shapes and threads) in the same session and prints ratios.
// Lines: name<TAB>median seconds<TAB>extra.
import FinchNN
import FinchTensor
import FinchVision
import Foundation

/// True when FINCH_BENCH_CLOCK=cpu: times are this process's CPU seconds (all
/// threads), which other jobs on a loaded machine inflate less than wall time.
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

/// Median seconds (wall, or CPU with FINCH_BENCH_CLOCK=cpu) of `body` after `warmup` untimed calls.
func medianSeconds(repeats: Int, warmup: Int = 3, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let t0 = clockSeconds()
        body()
        times.append(clockSeconds() - t0)
    }
    return times.sorted()[times.count / 2]
}

func report(_ name: String, _ seconds: Double, _ extra: String = "") {
    print("\(name)\t\(String(format: "%.6f", seconds))\t\(extra)")
    fflush(nil)
}

/// One training step of LeNet on a batch of `batch` images of `size`×`size`.
func benchTrainStep(size: Int, batch: Int, repeats: Int) throws {
    var rng = FinchRNG(seed: 1)
    let model = LeNet(.init(inputChannels: 1, imageSize: size, classCount: 10), rng: &rng)
    let optimizer = try SGD(parameters: model.trainableParameters(), configuration: .init(learningRate: 0.01, momentum: 0.9))
    let x = Tensor.randomNormal([batch, 1, size, size], rng: &rng)
    let labels = (0..<batch).map { $0 % 10 }
    let t = medianSeconds(repeats: repeats) {
        model.zeroGrad()
        let loss = model(x).crossEntropy(targets: labels)
        loss.backward()
        optimizer.step()
    }
    report("lenet.train_step.b\(batch)x1x\(size)x\(size)", t, "\(String(format: "%.0f", Double(batch) / t)) images/s")
    model.eval()
    let inference = medianSeconds(repeats: repeats) { _ = withoutGradient { model(x) } }
    report("lenet.inference.b\(batch)x1x\(size)x\(size)", inference, "\(String(format: "%.0f", Double(batch) / inference)) images/s")
}

/// LeNet's second convolution at 28×28 ([64, 6, 14, 14] → 16 channels, 5×5,
/// padding 2): forward + backward (input and weight gradients) against the
/// GEMMs alone — W·cols, G·colsᵀ and Wᵀ·G with M, N, K of the unfolded problem.
func benchConvAgainstGEMM(repeats: Int) {
    var rng = FinchRNG(seed: 2)
    let (n, c, h, o, k) = (64, 6, 14, 16, 5)
    let x = Tensor.randomNormal([n, c, h, h], rng: &rng).requiringGrad()
    let w = Tensor.randomNormal([o, c, k, k], std: 0.1, rng: &rng).requiringGrad()
    let g = Tensor.randomNormal([n, o, h, h], rng: &rng)
    let conv = medianSeconds(repeats: repeats) {
        let y = x.conv2d(weight: w, padding: 2)
        y.backward(g)
        x.zeroGrad()
        w.zeroGrad()
    }
    let rows = c * k * k, cols = n * h * h
    let a = Tensor.randomNormal([o, rows], rng: &rng), b = Tensor.randomNormal([rows, cols], rng: &rng)
    let go = Tensor.randomNormal([o, cols], rng: &rng)
    let out = Tensor.zeros([rows, cols])
    let gemm = medianSeconds(repeats: repeats) {
        let op = out.storage.pointer
        GEMM.sgemmParallel(m: o, n: cols, k: rows, a: a.storage.pointer, lda: rows, b: b.storage.pointer, ldb: cols, c: op, ldc: cols)
        GEMM.sgemmParallel(
            transposeB: true, m: o, n: rows, k: cols, a: go.storage.pointer, lda: cols, b: b.storage.pointer, ldb: cols, c: op,
            ldc: rows)
        GEMM.sgemmParallel(
            transposeA: true, m: rows, n: cols, k: o, a: a.storage.pointer, lda: rows, b: go.storage.pointer, ldb: cols, c: op,
            ldc: cols)
    }
    let flops = 3 * 2 * Double(o) * Double(rows) * Double(cols)
    report("conv2d.fwd_bwd.b64x6x14x14.k5", conv, String(format: "%.1f GFLOP/s; %.2f× the GEMMs alone", flops / conv / 1e9, conv / gemm))
    report("conv2d.gemms_only.b64x6x14x14.k5", gemm, String(format: "%.1f GFLOP/s", flops / gemm / 1e9))
}

let repeats = Int(ProcessInfo.processInfo.environment["FINCH_BENCH_REPEATS"] ?? "") ?? 30
do {
    try benchTrainStep(size: 8, batch: 64, repeats: repeats)
    try benchTrainStep(size: 28, batch: 64, repeats: repeats)
    benchConvAgainstGEMM(repeats: repeats)
} catch {
    FileHandle.standardError.write(Data("ConvBenchmarks: \(error)\n".utf8))
    exit(1)
}
