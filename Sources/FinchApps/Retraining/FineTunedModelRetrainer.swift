import FinchSupport
import FinchTrain
import Foundation

/// Retrains fine-tuned classifiers and taggers from their feedback (`finch retrain`,
/// `POST /v1/models/{name}/retrain`): the corrections (latest per input; labels for a
/// classifier, entity spans for a tagger) plus a replay sample of the recorded
/// training data fine-tune a copy of the active version with the Trainer; both
/// versions are evaluated on the recorded held-out set and on held-out feedback
/// (accuracy, entity-level F1); the new version is registered with
/// `retrain_report.json` beside it and activated only when `RetrainGuard` allows.
public final class FineTunedModelRetrainer: ModelRetrainer {
    public let kinds: Set<ModelKind> = [.classifier, .tagger]
    let registry: ModelRegistry
    let feedback: any FeedbackRepository
    let options: RetrainOptions

    public init(registry: ModelRegistry, feedback: any FeedbackRepository, options: RetrainOptions = RetrainOptions()) {
        self.registry = registry
        self.feedback = feedback
        self.options = options
    }

    public func retrain(model name: String, progress: @escaping @Sendable (ProgressEvent) -> Void) async throws -> RetrainOutcome {
        let active = try await activeVersion(of: name, in: registry)
        let base = URL(fileURLWithPath: active.path)
        let labels = Set(try registry.model(named: name).labels ?? [])
        let records = try await feedback.feedback(FeedbackQuery(model: name))
        let out = outputFolder(for: active)
        let options = options
        let version = active.version
        let result: ClassifierRetraining.Result?
        if active.kind == .tagger {
            result = try await Self.onThread {
                try TaggerRetraining.run(
                    model: name, previousVersion: version, base: base, records: records, out: out, options: options, progress: progress)
            }
        } else {
            let corrections = ClassifierRetraining.corrections(records, labels: labels)
            result =
                corrections.isEmpty
                ? nil
                : try await Self.onThread {
                    try ClassifierRetraining.run(
                        model: name, previousVersion: version, base: base, corrections: corrections, out: out, options: options,
                        progress: progress)
                }
        }
        guard let result else {
            let what =
                active.kind == .tagger
                ? "entity feedback with a kept input and known types" : "classification feedback with a kept input and a known label"
            return RetrainOutcome(
                model: name, newVersion: nil, previousVersion: active.version, activated: false,
                reason: "no \(what) for \"\(name)\"; nothing to retrain on", previousMetrics: [:], newMetrics: [:])
        }
        var report = result.report
        progress(ProgressEvent(stage: "register", step: 0, stepCount: 1, elapsedSeconds: report.trainingSeconds))
        let record = try await registry.register(name: name, path: out.path, activate: report.activated)
        report.newVersion = record.version
        try report.write(to: out)
        try Self.writeCard(folder: out, base: base, kind: active.kind, name: name, report: report, options: options)
        progress(ProgressEvent(stage: "register", step: 1, stepCount: 1, elapsedSeconds: report.trainingSeconds))
        return RetrainOutcome(
            model: name, newVersion: record.version, previousVersion: active.version, activated: report.activated,
            reason: report.reason, previousMetrics: report.previous.metrics(report.metric), newMetrics: report.new.metrics(report.metric))
    }

    /// `<root>/<name>-retrain-<UTC time>`, root being the options' or the active folder's parent.
    func outputFolder(for active: ModelVersionRecord) -> URL { Self.outputFolder(for: active, root: options.outputRoot) }

    /// `<root>/<name>-retrain-<UTC time>`, root being `root` or the active folder's parent.
    static func outputFolder(for active: ModelVersionRecord, root: URL?) -> URL {
        let root = root ?? URL(fileURLWithPath: active.path).deletingLastPathComponent()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        var folder = root.appendingPathComponent("\(active.name)-retrain-\(formatter.string(from: Date()))")
        var n = 2
        while FileManager.default.fileExists(atPath: folder.path) {
            folder = root.appendingPathComponent("\(active.name)-retrain-\(formatter.string(from: Date()))-\(n)")
            n += 1
        }
        return folder
    }

    /// Runs blocking work (training) on its own thread, off Swift's cooperative pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
            thread.name = "finch-retrain"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The new version's model card (`README.md`): the run record says it is a retrain of the previous
    /// version, on how many corrections and replayed examples, with the held-out figures; the data files
    /// and base model are the previous version's (retraining starts from it).
    static func writeCard(
        folder: URL, base: URL, kind: ModelKind, name: String, report: RetrainReport, options: RetrainOptions
    ) throws {
        let previous = try TrainingRunRecord.readIfPresent(in: base)
        // The held-out figure (the feedback one when no held-out set was recorded) under the metric's
        // own name, so the card's `model-index` carries it.
        var metrics = report.new.metrics(report.metric)
        if let main = metrics["heldout_\(report.metric)"] ?? metrics["feedback_\(report.metric)"] { metrics[report.metric] = main }
        let run = TrainingRunRecord(
            task: kind == .tagger ? "token-classification" : kind == .embedder ? "sentence-similarity" : "text-classification",
            command: "finch retrain --model \(name) (retrain of version \(report.previousVersion))",
            settings: [
                "retrained_from_version": String(report.previousVersion), "margin": String(options.margin),
                "epochs": String(kind == .embedder ? options.contrastive.epochs : options.epochs),
                "learning_rate": String(kind == .embedder ? options.contrastive.learningRate : options.learningRate),
                "feedback_examples": String(report.feedbackExamples), "replay_examples": String(report.replayExamples),
                "activated": String(report.activated), "guard": report.reason,
            ],
            baseModel: previous?.baseModel, dataFiles: previous?.dataFiles ?? [], labelDistribution: previous?.labelDistribution,
            evaluationData:
                kind == .embedder
                ? "\(report.heldOutExamples) held-out alternative phrasings of the collections' entries and "
                    + "\(report.feedbackHeldOut) held-out accepted answers"
                : "the held-out set recorded with version \(report.previousVersion) and \(report.feedbackHeldOut) held-out corrections",
            metrics: metrics, seconds: report.trainingSeconds, finchVersion: FinchVersion.string)
        if kind == .embedder {
            // An embedder's card (`EmbeddingCard`) reads the run record from the folder.
            try run.write(to: folder)
            _ = try EmbeddingCard.write(to: folder, finchVersion: FinchVersion.string)
        } else {
            try ModelCardWriter.write(folder: folder, run: run, finchVersion: FinchVersion.string)
        }
    }
}
