// Sentence-embedding throughput of Finch on all-MiniLM-L6-v2, on the same
// synthetic inputs as Benchmarks/embed_reference.py (PyTorch, ONNX Runtime).
// Run through Benchmarks/run_embed.sh, which fixes threads and the BLAS core.
//
//   EmbedBenchmarks --model DIR [--runs N] [--case long|short|all]
//
// Prints one JSON object per line: the case, sentences per second (median of
// the runs and every run), GFLOP/s of the encoder, peak resident memory, and
// a GEMM reference (OpenBLAS sgemm on the model's largest shape).
import FinchTensor
import FinchTransformers
import Foundation

struct Options {
    var model = ""
    var runs = 5
    var cases = ["long", "short"]
    var int8 = false

    init(_ args: [String]) {
        var i = 1
        while i < args.count {
            switch args[i] {
            case "--model": model = args[i + 1]; i += 1
            case "--runs": runs = Int(args[i + 1]) ?? runs; i += 1
            case "--int8": int8 = true
            case "--case": cases = args[i + 1] == "all" ? ["long", "short"] : [args[i + 1]]; i += 1
            default: break
            }
            i += 1
        }
    }
}

/// The shared input recipe (embed_reference.py builds the same ids):
/// [CLS]=101, ids 1000 + ((i·7919 + j·104729 + 13) mod 20000), [SEP]=102.
func sentences(count: Int, length: (Int) -> Int) -> [[Int]] {
    (0..<count).map { i in
        let n = length(i)
        return [101] + (1..<(n - 1)).map { j in 1000 + ((i * 7919 + j * 104_729 + 13) % 20000) } + [102]
    }
}

func peakRSSMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
    }
    return 0
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Encoder FLOPs for batches padded to their longest sequence (GEMMs only).
func encoderFLOPs(_ batches: [[Int]], config: BertConfig) -> Double {
    let h = Double(config.hiddenSize), inter = Double(config.intermediateSize), layers = Double(config.numHiddenLayers)
    var total = 0.0
    for lengths in batches {
        let b = Double(lengths.count), s = Double(lengths.max() ?? 0)
        total += layers * (b * s * (8 * h * h + 4 * h * inter) + 4 * b * s * s * h)
    }
    return total
}

func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func gemmReference(m: Int, n: Int, k: Int) -> Double {
    let a = UnsafeMutablePointer<Float>.allocate(capacity: m * k), b = UnsafeMutablePointer<Float>.allocate(capacity: n * k)
    let c = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
    defer { a.deallocate(); b.deallocate(); c.deallocate() }
    for i in 0..<(m * k) { a[i] = Float(i % 7) * 0.01 }
    for i in 0..<(n * k) { b[i] = Float(i % 5) * 0.01 }
    var best = 0.0
    for _ in 0..<7 {
        let t0 = now()
        GEMM.sgemm(transposeB: true, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, c: c, ldc: n)
        best = max(best, 2 * Double(m * n * k) / (now() - t0) / 1e9)
    }
    return best
}

let options = Options(CommandLine.arguments)
guard !options.model.isEmpty else {
    FileHandle.standardError.write(Data("usage: EmbedBenchmarks --model DIR [--runs N] [--case long|short|all]\n".utf8))
    exit(2)
}
let embedder = try SentenceEmbedder(contentsOf: URL(fileURLWithPath: options.model))
let config = embedder.model.config
let gemm = gemmReference(m: 4096, n: config.intermediateSize, k: config.hiddenSize)

for name in options.cases {
    let inputs =
        name == "long"
        ? sentences(count: 128, length: { _ in 128 })
        : sentences(count: 1024, length: { i in 10 + (i * 7) % 11 })
    let batchSize = 32
    let sorted = inputs.map(\.count).sorted(by: >)
    let batches = stride(from: 0, to: sorted.count, by: batchSize).map { Array(sorted[$0..<min($0 + batchSize, sorted.count)]) }
    let flops = encoderFLOPs(batches, config: config)
    // --int8: the float embeddings first (for the cosine), then the Linear layers in int8.
    let floatOut = options.int8 ? try embedder.embed(tokenIDs: inputs, batchSize: batchSize) : nil
    if options.int8 { embedder.model.quantizeForInference() }
    _ = try embedder.embed(tokenIDs: Array(inputs.prefix(batchSize)), batchSize: batchSize)  // warm-up
    var rates: [Double] = [], cpuRates: [Double] = []
    var check: Float = 0
    var cosine = 1.0
    for _ in 0..<options.runs {
        let t0 = now(), c0 = cpuSeconds()
        let out = try embedder.embed(tokenIDs: inputs, batchSize: batchSize)
        let dt = now() - t0, dc = cpuSeconds() - c0
        rates.append(Double(inputs.count) / dt)
        cpuRates.append(Double(inputs.count) / dc)
        check = out.storage.pointer[0]
        if let floatOut {
            let d = out.shape[1]
            var total = 0.0
            for r in 0..<out.shape[0] {
                var dot = 0.0, na = 0.0, nb = 0.0
                for j in 0..<d {
                    let a = Double(out.storage.pointer[r * d + j]), b = Double(floatOut.storage.pointer[r * d + j])
                    dot += a * b
                    na += a * a
                    nb += b * b
                }
                total += dot / (na * nb).squareRoot()
            }
            cosine = total / Double(out.shape[0])
        }
    }
    if options.int8 { embedder.model.removeInferenceQuantization() }
    let median = rates.sorted()[rates.count / 2]
    let cpuMedian = cpuRates.sorted()[cpuRates.count / 2]
    let seconds = Double(inputs.count) / median
    let line: [String: Any] = [
        "impl": options.int8 ? "finch-int8" : "finch", "case": name, "mean_cosine_to_float": cosine,
        "int8_kernel": Int8GEMM.kernelName, "sentences": inputs.count, "batch_size": batchSize,
        "mean_tokens": Double(inputs.map(\.count).reduce(0, +)) / Double(inputs.count),
        "sentences_per_s": median, "runs": rates, "sentences_per_cpu_s": cpuMedian, "gflops": flops / seconds / 1e9,
        "gemm_reference_gflops": gemm, "peak_rss_mb": peakRSSMegabytes(), "first_value": Double(check),
        "threads": Parallel.threadCount, "blas_threads": GEMMThreading.blasThreads,
        "blas_core": BLASLibrary.coreName, "gemm_backend": GEMMBackend.current.rawValue,
        "gemm_kernel": KernelDispatch.gemmKernel,
    ]
    let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
