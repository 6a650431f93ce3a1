// The Finch side of the digits benchmark (Benchmarks/vision/run.sh): `ImageTraining.train` with
// the recipe of lenet_reference.py, timing the training loop per epoch (no evaluation inside it)
// and inference images/s on the decoded test images. One JSON line per seed.
import FinchTensor
import FinchTrain
import FinchVision
import Foundation

let arguments = CommandLine.arguments
func value(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
    return arguments[i + 1]
}
let data = value("--data", ".build/digits")
let epochs = Int(value("--epochs", "20"))!
let seeds = value("--seeds", "1").split(separator: ",").compactMap { UInt64($0) }

for seed in seeds {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("finch-vision-bench-\(seed)-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    var r = ImageTrainingRequest(data: data + "/train", outputDirectory: out)
    r.dev = data + "/test"
    r.architecture = .lenet
    var c = TrainingConfiguration()
    c.epochs = epochs
    c.batchSize = 32
    c.learningRate = 1e-3
    c.optimizer = .adamw
    c.weightDecay = 0
    c.schedule = .constant
    c.maxGradNorm = nil
    c.seed = seed
    c.evaluation = .steps(1_000_000_000)  // evaluated once, after the last step
    c.loggingSteps = 1_000_000
    c.metricForBestModel = .accuracy
    c.exportBestModel = false
    r.training = c
    var started: ContinuousClock.Instant? = nil
    var lastStep: ContinuousClock.Instant? = nil
    let clock = ContinuousClock()
    let result = try ImageTraining.train(r, decoding: { _, _ in }) { event in
        switch event {
        case .started: started = clock.now
        case .step: lastStep = clock.now
        default: break
        }
    }
    let loop = lastStep! - started!
    let secondsPerEpoch = (Double(loop.components.seconds) + Double(loop.components.attoseconds) * 1e-18) / Double(epochs)
    let accuracy = result.summary.lastEvaluation?.metrics["accuracy"] ?? .nan

    let classifier = try ImageClassifier.load(out)
    classifier.batchSize = 256
    let test = try ImageDataset.load(data + "/test", classes: classifier.config.classes)
    let images = try test.decode(classifier.config.preprocessing)
    var rounds = 0
    let start = clock.now
    var elapsed = 0.0
    while elapsed < 2 {
        _ = classifier.probabilities(scaled: images)
        rounds += 1
        let d = clock.now - start
        elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
    let rate = Double(rounds * images.count) / elapsed
    let threads = ProcessInfo.processInfo.environment["FINCH_NUM_THREADS"] ?? "default"
    print(
        String(
            format: #"{"impl":"finch","seed":%d,"accuracy":%.6f,"seconds_per_epoch":%.6f,"images_per_second":%.1f,"threads":"%@"}"#,
            Int(seed), accuracy, secondsPerEpoch, rate, threads))
}
