import FinchSupport
import FinchTensor
import FinchTrain
import Foundation

/// The synchronous work of a classifier retrain: split the corrections,
/// fine-tune a copy of the active version on feedback plus replay, evaluate
/// both versions, and decide. Nothing here touches the registry or the store.
enum ClassifierRetraining {
    /// What `run` produced: the new folder's report (not yet registered).
    struct Result: Sendable {
        var report: RetrainReport
    }

    /// The corrections in `records`: classification feedback with a kept
    /// input and a label the model knows, the latest per input, in order.
    static func corrections(_ records: [FeedbackRecord], labels: Set<String>) -> [ClassificationExample] {
        var latest: [String: (position: Int, label: String)] = [:]
        for (i, r) in records.enumerated() where r.kind == .classification {
            guard let input = r.input, let label = r.label, labels.contains(label) else { continue }
            latest[input] = (i, label)
        }
        return latest.sorted { $0.value.position < $1.value.position }.map {
            ClassificationExample(text: $0.key, label: $0.value.label, line: $0.value.position + 1)
        }
    }

    /// Seeded split of the corrections into (train, held out); nothing is held
    /// out below `options.minimumFeedbackToHoldOut`.
    static func split<T>(_ corrections: [T], options: RetrainOptions) -> (train: [T], heldOut: [T]) {
        guard corrections.count >= options.minimumFeedbackToHoldOut else { return (corrections, []) }
        let count = Swift.min(
            Swift.max(2, Int((Double(corrections.count) * options.feedbackHoldOutFraction).rounded())), corrections.count - 1)
        let order = shuffled(Array(corrections.indices), seed: options.seed)
        let held = Set(order.prefix(count))
        return (
            corrections.indices.filter { !held.contains($0) }.map { corrections[$0] },
            corrections.indices.filter { held.contains($0) }.map { corrections[$0] }
        )
    }

    static func shuffled<T>(_ values: [T], seed: UInt64) -> [T] {
        var rng = FinchRNG(seed: seed)
        var out = values
        for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return out
    }

    /// Fine-tunes `base` into `out` and evaluates both.
    static func run(
        model: String, previousVersion: Int, base: URL, corrections: [ClassificationExample], out: URL, options: RetrainOptions,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) throws -> Result {
        let start = Date()
        func report(_ stage: String, _ step: Int, _ count: Int, _ metrics: [String: Double] = [:]) {
            progress(
                ProgressEvent(stage: stage, step: step, stepCount: count, elapsedSeconds: Date().timeIntervalSince(start), metrics: metrics)
            )
        }
        guard case .classifier(let task) = try FineTunedModel.load(base) else {
            throw RetrainError.unsupportedModel(model: model, reason: "its folder holds a tagger")
        }
        guard !task.isMultiLabel else {
            throw RetrainError.unsupportedModel(model: model, reason: "it is multi-label; feedback gives one label per text")
        }
        if let stored = try TaskMetadata.readIfPresent(in: base) { task.metadata = stored }
        let (trainFeedback, heldFeedback) = split(corrections, options: options)
        let heldOut = try TrainingDataRecord.examples(TrainingDataRecord.heldOutFileName, in: base)
        let known = Set(task.labels.labels)
        let replayAll = try TrainingDataRecord.examples(TrainingDataRecord.replayFileName, in: base).filter { known.contains($0.label) }
        let feedbackTexts = Set(corrections.map(\.text))
        let replayPool = replayAll.filter { !feedbackTexts.contains($0.text) }
        let replay = Array(shuffled(replayPool, seed: options.seed &+ 1).prefix(trainFeedback.count * options.replayPerFeedback))

        report("prepare", 1, 1)
        var configuration = TrainingConfiguration()
        configuration.epochs = options.epochs
        configuration.learningRate = options.learningRate
        configuration.batchSize = options.batchSize
        configuration.seed = options.seed
        configuration.evaluation = .no
        configuration.exportBestModel = false
        let encoded = try task.encode(trainFeedback + replay, file: "feedback")
        let trainer = try Trainer(task: task, configuration: configuration, train: encoded, dev: [], outputDirectory: out)
        let total = trainer.totalSteps
        _ = try trainer.run(events: { event in
            if case .step(let p) = event { report("train", p.step, total, ["loss": p.loss]) }
        })
        let trainingSeconds = Date().timeIntervalSince(start)
        try finishFolder(
            out, base: base, files: [TrainingDataRecord.fileName, TrainingDataRecord.heldOutFileName, TrainingDataRecord.replayFileName])

        let feedbackForEvaluation = heldFeedback.isEmpty ? trainFeedback : heldFeedback
        report("evaluate", 0, 2)
        let previous = try evaluate(base, heldOut: heldOut, feedback: feedbackForEvaluation)
        report("evaluate", 1, 2)
        let new = try evaluate(out, heldOut: heldOut, feedback: feedbackForEvaluation)
        report("evaluate", 2, 2)
        let (activate, reason) = RetrainGuard.decide(previous: previous, new: new, metric: "accuracy", margin: options.margin)
        let result = RetrainReport(
            model: model, metric: "accuracy", previousVersion: previousVersion, previousPath: base.path, newVersion: nil, path: out.path,
            margin: options.margin, feedbackExamples: corrections.count, feedbackTrained: trainFeedback.count,
            feedbackHeldOut: heldFeedback.count,
            feedbackEvaluation: evaluationName(noneHeldOut: heldFeedback.isEmpty, options: options), replayExamples: replay.count,
            heldOutExamples: heldOut.count, previous: previous, new: new, activated: activate, reason: reason,
            trainingSeconds: trainingSeconds, createdAt: Date())
        try result.write(to: out)
        return Result(report: result)
    }

    /// Copies the base's training record into the new version (so it can be retrained in turn) and
    /// removes the trainer's resumable checkpoint and best-model copy (the version is the folder itself).
    static func finishFolder(_ out: URL, base: URL, files: [String]) throws {
        let fm = FileManager.default
        for name in files {
            let source = base.appendingPathComponent(name)
            if fm.fileExists(atPath: source.path) { try fm.copyItem(at: source, to: out.appendingPathComponent(name)) }
        }
        for name in ["checkpoint", "best"] where fm.fileExists(atPath: out.appendingPathComponent(name).path) {
            try fm.removeItem(at: out.appendingPathComponent(name))
        }
    }

    /// The report's words for the feedback the versions were compared on.
    static func evaluationName(noneHeldOut none: Bool, options: RetrainOptions) -> String {
        none ? "the training feedback (fewer than \(options.minimumFeedbackToHoldOut) corrections, none held out)" : "held-out feedback"
    }

    /// Accuracy of the model in `folder` on the held-out set (nil when empty) and on `feedback`.
    static func evaluate(_ folder: URL, heldOut: [ClassificationExample], feedback: [ClassificationExample]) throws -> VersionEvaluation {
        let model = try FineTunedModel.load(folder)
        func accuracy(_ examples: [ClassificationExample]) throws -> Double? {
            guard !examples.isEmpty else { return nil }
            let predictions = try model.classify(examples.map { ($0.text, $0.textPair) })
            let right = zip(predictions, examples).filter { $0.0.label == $0.1.label }.count
            return Double(right) / Double(examples.count)
        }
        return VersionEvaluation(heldOut: try accuracy(heldOut), feedback: try accuracy(feedback) ?? 0)
    }
}
