import FinchNN
import FinchTensor
import FinchTransformers
import Foundation

/// Fine-tuning step of all-MiniLM-L6-v2 + a 3-way classifier: batch 16 × 128
/// tokens (random ids, no padding), forward, cross-entropy, backward, clipping,
/// AdamW. Model directory from FINCH_MINILM_DIR. Also reports peak RSS. In
/// `bf16` the forward and backward passes run their matrix products in bf16
/// (`MatmulPrecision`); clipping and AdamW stay fp32.
func benchTrainStep(precision: MatmulPrecision = .fp32) {
    guard let dir = ProcessInfo.processInfo.environment["FINCH_MINILM_DIR"] else {
        FileHandle.standardError.write(Data("train-step: set FINCH_MINILM_DIR\n".utf8))
        return
    }
    do {
        var rng = FinchRNG(seed: 1)
        let model = try BertForSequenceClassification(contentsOf: URL(fileURLWithPath: dir), labels: ["a", "b", "c"], rng: &rng)
        model.train()
        let params = model.trainableParameters()
        let optimizer = try AdamW(parameters: params, configuration: .init(learningRate: 2e-5, weightDecay: 0.01),
                                  noWeightDecay: WeightDecay.huggingFaceExemptions(in: model))
        let ids = (0..<16).map { _ in [101] + (0..<126).map { _ in 1000 + Int(rng.next() % 20000) } + [102] }
        let input = BertInput(padding: ids)
        let labels = (0..<16).map { $0 % 3 }
        let t = medianSeconds(repeats: 7, warmup: 2) {
            optimizer.zeroGrad()
            MatmulPrecision.$current.withValue(precision) {
                let loss = try! model.logits(input).crossEntropy(targets: labels)
                loss.backward()
            }
            _ = clipGradNorm(params, maxNorm: 1)
            optimizer.step()
        }
        let suffix = precision == .fp32 ? "" : ".\(precision.rawValue)"
        report("train_step.minilm.b16x128\(suffix)", t, "peak RSS \(peakRSSMegabytes()) MB")
    } catch {
        FileHandle.standardError.write(Data("train-step: \(error)\n".utf8))
    }
}

/// Peak resident set size of this process in MB (Linux getrusage: kilobytes).
func peakRSSMegabytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss / 1024)
}
