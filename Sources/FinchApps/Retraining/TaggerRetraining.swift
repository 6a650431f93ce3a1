import FinchSupport
import FinchTrain
import Foundation

/// The synchronous work of a tagger retrain: entity corrections become
/// tagged sentences (IOB2 over the model's words), a copy of the active
/// version is fine-tuned on them plus replayed sentences, and both versions
/// are compared by entity-level F1 (seqeval's rules) on the recorded held-out
/// sentences and on the feedback.
enum TaggerRetraining {
    /// A word of a text with its `[start, end)` in Unicode scalars (the tagger's own word cutting).
    typealias Word = FineTunedModel.Word

    /// The words of `text` as the tagger cuts it.
    static func words(in text: String, splitting: WordSplitting) -> [Word] { FineTunedModel.words(in: text, splitting: splitting) }

    /// The sentence `spans` make of `text`: a word inside a span is tagged `B-TYPE` (the span's first word) or
    /// `I-TYPE`, every other word `O`. Nil when a tag is not one the model knows.
    static func sentence(text: String, spans: [FeedbackSpan], splitting: WordSplitting, tags: Set<String>, line: Int)
        -> TaggedSentence?
    {
        let words = words(in: text, splitting: splitting)
        guard !words.isEmpty else { return nil }
        var labels: [String] = []
        var previousSpan: Int? = nil
        for word in words {
            if let index = spans.firstIndex(where: { word.start < $0.end && $0.start < word.end }) {
                labels.append((previousSpan == index ? "I-" : "B-") + spans[index].type)
                previousSpan = index
            } else {
                labels.append("O")
                previousSpan = nil
            }
        }
        guard labels.allSatisfy(tags.contains) else { return nil }
        return TaggedSentence(tokens: words.map(\.text), tags: labels, line: line)
    }

    /// The corrections in `records`: entity feedback with a kept input, the latest per input, in order.
    static func corrections(_ records: [FeedbackRecord], splitting: WordSplitting, tags: Set<String>) -> [TaggedSentence] {
        var latest: [String: (position: Int, spans: [FeedbackSpan])] = [:]
        for (i, r) in records.enumerated() where r.kind == .entities {
            guard let input = r.input, let spans = r.entities else { continue }
            latest[input] = (i, spans)
        }
        return latest.sorted { $0.value.position < $1.value.position }.compactMap {
            sentence(text: $0.key, spans: $0.value.spans, splitting: splitting, tags: tags, line: $0.value.position + 1)
        }
    }

    /// Fine-tunes `base` into `out` on the corrections in `records` and evaluates both; nil when there are none.
    static func run(
        model: String, previousVersion: Int, base: URL, records: [FeedbackRecord], out: URL, options: RetrainOptions,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) throws -> ClassifierRetraining.Result? {
        let start = Date()
        func report(_ stage: String, _ step: Int, _ count: Int, _ metrics: [String: Double] = [:]) {
            progress(
                ProgressEvent(stage: stage, step: step, stepCount: count, elapsedSeconds: Date().timeIntervalSince(start), metrics: metrics)
            )
        }
        guard case .tagger(let task) = try FineTunedModel.load(base) else {
            throw RetrainError.unsupportedModel(model: model, reason: "its folder holds a classifier")
        }
        if let stored = try TaskMetadata.readIfPresent(in: base) { task.metadata = stored }
        let tags = Set(task.labels.labels)
        let corrections = corrections(records, splitting: task.metadata.wordSplitting ?? .whitespace, tags: tags)
        guard !corrections.isEmpty else { return nil }
        let (trainFeedback, heldFeedback) = ClassifierRetraining.split(corrections, options: options)
        let heldOut = try TrainingDataRecord.sentences(TrainingDataRecord.heldOutTaggedFileName, in: base)
            .filter { $0.tags.allSatisfy(tags.contains) }
        let feedbackTokens = Set(corrections.map(\.tokens))
        let replayPool = try TrainingDataRecord.sentences(TrainingDataRecord.replayTaggedFileName, in: base)
            .filter { $0.tags.allSatisfy(tags.contains) && !feedbackTokens.contains($0.tokens) }
        let replay = Array(
            ClassifierRetraining.shuffled(replayPool, seed: options.seed &+ 1).prefix(trainFeedback.count * options.replayPerFeedback))

        report("prepare", 1, 1)
        var configuration = TrainingConfiguration()
        configuration.epochs = options.epochs
        configuration.learningRate = options.learningRate
        configuration.batchSize = options.batchSize
        configuration.seed = options.seed
        configuration.evaluation = .no
        configuration.exportBestModel = false
        configuration.metricForBestModel = .f1
        let encoded = try task.encode(trainFeedback + replay, file: "feedback")
        let trainer = try Trainer(task: task, configuration: configuration, train: encoded, dev: [], outputDirectory: out)
        let total = trainer.totalSteps
        _ = try trainer.run(events: { event in
            if case .step(let p) = event { report("train", p.step, total, ["loss": p.loss]) }
        })
        let trainingSeconds = Date().timeIntervalSince(start)
        try ClassifierRetraining.finishFolder(
            out, base: base,
            files: [TrainingDataRecord.fileName, TrainingDataRecord.heldOutTaggedFileName, TrainingDataRecord.replayTaggedFileName])

        let feedbackForEvaluation = heldFeedback.isEmpty ? trainFeedback : heldFeedback
        report("evaluate", 0, 2)
        let previous = try evaluate(base, heldOut: heldOut, feedback: feedbackForEvaluation)
        report("evaluate", 1, 2)
        let new = try evaluate(out, heldOut: heldOut, feedback: feedbackForEvaluation)
        report("evaluate", 2, 2)
        let (activate, reason) = RetrainGuard.decide(previous: previous, new: new, metric: "f1", margin: options.margin)
        let result = RetrainReport(
            model: model, metric: "f1", previousVersion: previousVersion, previousPath: base.path, newVersion: nil, path: out.path,
            margin: options.margin, feedbackExamples: corrections.count, feedbackTrained: trainFeedback.count,
            feedbackHeldOut: heldFeedback.count,
            feedbackEvaluation: ClassifierRetraining.evaluationName(noneHeldOut: heldFeedback.isEmpty, options: options),
            replayExamples: replay.count, heldOutExamples: heldOut.count, previous: previous, new: new, activated: activate,
            reason: reason, trainingSeconds: trainingSeconds, createdAt: Date())
        try result.write(to: out)
        return ClassifierRetraining.Result(report: result)
    }

    /// Entity-level F1 of the tagger in `folder` on the held-out sentences (nil when none) and on `feedback`.
    static func evaluate(_ folder: URL, heldOut: [TaggedSentence], feedback: [TaggedSentence]) throws -> VersionEvaluation {
        guard case .tagger(let task) = try FineTunedModel.load(folder) else {
            throw RetrainError.unsupportedModel(model: folder.path, reason: "its folder holds a classifier")
        }
        func f1(_ sentences: [TaggedSentence]) throws -> Double? {
            guard !sentences.isEmpty else { return nil }
            return try task.evaluate(task.encode(sentences, file: "feedback")).metrics["f1"] ?? 0
        }
        return VersionEvaluation(heldOut: try f1(heldOut), feedback: try f1(feedback) ?? 0)
    }
}
