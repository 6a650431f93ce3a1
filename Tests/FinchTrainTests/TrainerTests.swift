import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTrain

/// A small classifier over 6-D points with dropout, enough to exercise every
/// part of the Trainer (batches, schedule, clipping, checkpoints, resume).
final class PointClassifier: Module {
    var isTraining = true
    let hidden: Linear, output: Linear, dropout: Dropout
    init(seed: UInt64) {
        var rng = FinchRNG(seed: seed)
        hidden = Linear(inFeatures: 6, outFeatures: 16, rng: &rng)
        output = Linear(inFeatures: 16, outFeatures: 3, rng: &rng)
        dropout = Dropout(probability: 0.2, rng: &rng)
    }
    var children: [(name: String, module: any Module)] { [("hidden", hidden), ("dropout", dropout), ("classifier", output)] }
    func callAsFunction(_ x: Tensor) -> Tensor { output(dropout(hidden(x).gelu())) }
}

struct Point { var features: [Float]; var label: Int }

final class PointTask: TrainingTask {
    let net: PointClassifier
    var model: any Module { net }
    var wordEmbeddingKey: String? { nil }
    var constantMetric: Double? = nil
    var declaredMetrics: [TrainingMetric]? = nil
    var reportedMetrics: [TrainingMetric]? { declaredMetrics }
    init(seed: UInt64) { net = PointClassifier(seed: seed) }

    func length(of example: Point) -> Int { Int(example.features[0] * 10) & 7 }
    func loss(on batch: [Point]) throws -> Tensor {
        let x = Tensor(shape: [batch.count, 6], values: batch.flatMap(\.features))
        return net(x).crossEntropy(targets: batch.map(\.label))
    }
    func evaluate(_ examples: [Point]) throws -> Evaluation {
        let x = Tensor(shape: [examples.count, 6], values: examples.flatMap(\.features))
        let logits = net(x)
        let predicted = logits.argmax(axis: 1)
        let accuracy = Double(zip(predicted, examples).filter { $0 == $1.label }.count) / Double(examples.count)
        let loss = Double(logits.crossEntropy(targets: examples.map(\.label)).item)
        return Evaluation(metrics: ["accuracy": constantMetric ?? accuracy, "loss": loss], report: "accuracy \(accuracy)")
    }
    func saveModel(to directory: URL) throws {
        try Safetensors.write(net.stateDict(), to: directory.appendingPathComponent("model.safetensors"))
    }
}

func makePoints(_ n: Int, seed: UInt64) -> [Point] {
    var rng = FinchRNG(seed: seed)
    return (0..<n).map { i in
        let label = i % 3
        let features = (0..<6).map { d in rng.nextNormal() * 0.5 + (d % 3 == label ? 1.5 : 0) }
        return Point(features: features, label: label)
    }
}

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-trainer-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct TrainerTests {
    static func configuration() -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.epochs = 4
        c.batchSize = 8
        c.learningRate = 5e-2
        c.warmupRatio = 0.1
        c.weightDecay = 0.01
        c.loggingSteps = 5
        c.metricForBestModel = .accuracy
        return c
    }

    @Test func trainsEvaluatesAndExports() throws {
        let task = PointTask(seed: 1)
        let out = temporaryDirectory()
        let trainer = try Trainer(
            task: task, configuration: Self.configuration(), train: makePoints(120, seed: 2),
            dev: makePoints(30, seed: 3), outputDirectory: out)
        var steps: [StepProgress] = []
        var evaluations: [[String: Double]] = []
        let summary = try trainer.run { event in
            if case .step(let p) = event { steps.append(p) }
            if case .evaluated(_, _, let m, _) = event { evaluations.append(m) }
        }
        #expect(summary.steps == 4 * 15)
        #expect(steps.count == 60)
        #expect(steps[0].learningRate == 0)  // first warmup step runs at 0, as Hugging Face
        #expect(steps[5].learningRate > steps[3].learningRate)
        #expect(steps.last!.learningRate < steps[10].learningRate)
        #expect(evaluations.count == 4)
        #expect((summary.bestMetric ?? 0) > 0.9)
        // The best metric is the highest accuracy seen, at the step of the first evaluation reaching it.
        let accuracies = evaluations.map { $0["accuracy"]! }
        let bestIndex = try #require(accuracies.firstIndex(of: accuracies.max()!))
        #expect(summary.bestMetric == accuracies[bestIndex])
        #expect(summary.bestStep == 15 * (bestIndex + 1))
        // Training works: the logged training loss of the last 15 steps is under half that of the first 5.
        let log = try MetricsLog(url: out.appendingPathComponent("metrics.jsonl")).read()
        let trainLosses = log.filter { $0.kind == .train }.map { $0.values["loss"]! }
        #expect(trainLosses.count == 12)
        #expect(trainLosses.suffix(3).reduce(0, +) / 3 < trainLosses[0] / 2, "\(trainLosses)")
        // The log's evaluations are the ones reported, in order.
        #expect(log.filter { $0.kind == .eval }.map(\.values) == evaluations)
        for file in [
            "model.safetensors", "metrics.jsonl", "training_curves.svg", "checkpoint/trainer_state.json", "best/model.safetensors",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) missing")
        }
        let lines = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 12 + 4)  // a train line every 5 steps, an eval line per epoch
    }

    @Test func bf16PrecisionTrainsWithItsProductsInBF16() throws {
        func run(_ precision: MatmulPrecision?) throws -> (summary: TrainingSummary, weights: [Float]) {
            let task = PointTask(seed: 1)
            var c = Self.configuration()
            c.precision = precision
            let summary = try Trainer(
                task: task, configuration: c, train: makePoints(120, seed: 2), dev: makePoints(30, seed: 3),
                outputDirectory: temporaryDirectory()
            ).run()
            return (summary, task.net.hidden.weight.value.scalars)
        }
        let fp32 = try run(nil), bf16 = try run(.bf16)
        #expect((bf16.summary.bestMetric ?? 0) > 0.9)
        // The same run in every other respect: the weights differ (the products took bf16) but stay close.
        let gap = zip(fp32.weights, bf16.weights).map { Swift.abs($0 - $1) }.max()!
        #expect(gap > 0 && gap < 0.05, "largest weight difference \(gap)")
        #expect(MatmulPrecision.current == .fp32)  // nothing leaks past the run
        // The setting is recorded with the run and read back; configurations written before it read as fp32.
        var c = Self.configuration()
        c.precision = .bf16
        let decoded = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(c))
        #expect(decoded.precision == .bf16)
        #expect(c.runParameters["bf16"] == "true" && Self.configuration().runParameters["bf16"] == nil)
        var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.configuration())) as! [String: Any]
        old["precision"] = nil
        let older = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONSerialization.data(withJSONObject: old))
        #expect(older.precision == nil)
    }

    @Test func resumeAfterInterruptionMatchesUninterruptedRun() throws {
        let train = makePoints(100, seed: 4), dev = makePoints(20, seed: 5)
        var c = Self.configuration()
        c.gradientAccumulationSteps = 2
        c.evaluation = .steps(6)

        let straight = PointTask(seed: 7)
        let straightOut = temporaryDirectory()
        let straightSummary = try Trainer(task: straight, configuration: c, train: train, dev: dev, outputDirectory: straightOut).run()

        let out = temporaryDirectory()
        let stop = StopSignal()
        let first = PointTask(seed: 7)
        let partial = try Trainer(task: first, configuration: c, train: train, dev: dev, outputDirectory: out)
            .run(stop: stop) { event in if case .step(let p) = event, p.step == 9 { stop.requestStop() } }
        #expect(partial.interrupted && partial.steps == 9)

        // A new process: fresh model with other initial weights, state from disk.
        let resumed = PointTask(seed: 99)
        let summary = try Trainer(task: resumed, configuration: c, train: train, dev: dev, outputDirectory: out).run(resume: .required)
        #expect(summary.steps == straightSummary.steps)
        #expect(summary.steps == 4 * 7)  // 4 epochs of ceil(ceil(100 / 8) / 2) = 7 steps
        #expect(summary.bestStep == straightSummary.bestStep && summary.bestMetric == straightSummary.bestMetric)
        // The resumed run's log is the uninterrupted run's, record for record.
        #expect(
            try MetricsLog(url: out.appendingPathComponent("metrics.jsonl")).read()
                == MetricsLog(url: straightOut.appendingPathComponent("metrics.jsonl")).read())
        for ((name, a), (_, b)) in zip(straight.net.namedParameters(), resumed.net.namedParameters()) {
            #expect(a.value.scalars == b.value.scalars, "\(name) differs after resume")
        }
    }

    @Test func earlyStoppingHonoursPatience() throws {
        let task = PointTask(seed: 1)
        task.constantMetric = 0.5  // never improves after the first evaluation
        var c = Self.configuration()
        c.epochs = 10
        c.earlyStoppingPatience = 2
        let summary = try Trainer(
            task: task, configuration: c, train: makePoints(40, seed: 2), dev: makePoints(10, seed: 3),
            outputDirectory: temporaryDirectory()
        ).run()
        #expect(summary.stoppedEarly)
        #expect(summary.steps == 3 * 5)  // best at epoch 1, two more without improvement
    }

    @Test func exportsTheBestEvaluationsModelUnlessToldToKeepTheLast() throws {
        func run(exportBest: Bool) throws -> (exported: [String: [Float]], best: [String: [Float]]) {
            let task = PointTask(seed: 1)
            task.constantMetric = 0.5  // the first evaluation stays the best one
            var c = Self.configuration()
            c.epochs = 3
            c.exportBestModel = exportBest
            let out = temporaryDirectory()
            _ = try Trainer(
                task: task, configuration: c, train: makePoints(40, seed: 2), dev: makePoints(10, seed: 3),
                outputDirectory: out
            ).run()
            func read(_ url: URL) throws -> [String: [Float]] {
                try SafetensorsFile(contentsOf: url).tensors().mapValues(\.scalars)
            }
            let exported = try read(out.appendingPathComponent("model.safetensors"))
            #expect(exported == task.net.stateDict().mapValues(\.scalars))
            return (exported, try read(out.appendingPathComponent("best/model.safetensors")))
        }
        let best = try run(exportBest: true)
        #expect(best.exported == best.best)
        let last = try run(exportBest: false)
        #expect(last.best == best.best)
        #expect(last.exported != last.best)
    }

    @Test func badSettingsAreNamed() throws {
        var c = Self.configuration()
        c.batchSize = 0
        #expect(throws: TrainingError.invalidConfiguration(setting: .batchSize, reason: "must be at least 1")) {
            _ = try Trainer(
                task: PointTask(seed: 1), configuration: c, train: makePoints(5, seed: 1), dev: [], outputDirectory: temporaryDirectory())
        }
        #expect(
            TrainingError.invalidConfiguration(setting: .batchSize, reason: "must be at least 1").description
                == "invalid batch size: must be at least 1")
        #expect(throws: TrainingError.emptyTrainingSet) {
            _ = try Trainer(
                task: PointTask(seed: 1), configuration: Self.configuration(), train: [], dev: [], outputDirectory: temporaryDirectory())
        }
        // A task that does not say what it reports fails at the first evaluation…
        var m = Self.configuration()
        m.metricForBestModel = .f1
        #expect(throws: TrainingError.unknownMetric(.f1, available: ["accuracy", "loss"])) {
            _ = try Trainer(
                task: PointTask(seed: 1), configuration: m, train: makePoints(10, seed: 1), dev: makePoints(5, seed: 2),
                outputDirectory: temporaryDirectory()
            ).run()
        }
        // …one that does, before anything is written.
        let declared = PointTask(seed: 1)
        declared.declaredMetrics = [.accuracy, .loss]
        let out = temporaryDirectory().appendingPathComponent("out")
        #expect(throws: TrainingError.unknownMetric(.f1, available: ["accuracy", "loss"])) {
            _ = try Trainer(
                task: declared, configuration: m, train: makePoints(10, seed: 1), dev: makePoints(5, seed: 2),
                outputDirectory: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func epochPlanIsDeterministicAndBucketed() {
        let lengths = (0..<100).map { ($0 * 37) % 50 }
        let a = EpochPlan.batches(lengths: lengths, batchSize: 8, seed: 3, epoch: 1, bucketing: true)
        let b = EpochPlan.batches(lengths: lengths, batchSize: 8, seed: 3, epoch: 1, bucketing: true)
        #expect(a == b)
        #expect(a != EpochPlan.batches(lengths: lengths, batchSize: 8, seed: 3, epoch: 2, bucketing: true))
        #expect(a.flatMap { $0 }.sorted() == Array(0..<100))
        // Bucketed batches have a small length spread.
        let spread = a.map { batch in batch.map { lengths[$0] }.max()! - batch.map { lengths[$0] }.min()! }
        #expect(spread.reduce(0, +) / spread.count <= 6)
        // Without bucketing: the same shuffled order, cut in consecutive batches.
        let plain = EpochPlan.batches(lengths: lengths, batchSize: 8, seed: 3, epoch: 1, bucketing: false)
        #expect(plain.map(\.count) == Array(repeating: 8, count: 12) + [4])
        #expect(plain.flatMap { $0 }.sorted() == Array(0..<100))
        #expect(plain != a)
        #expect(plain == EpochPlan.batches(lengths: lengths, batchSize: 8, seed: 3, epoch: 1, bucketing: false))
    }
}
