import FinchSupport
import FinchTrain
import FinchTransformers
import Foundation

/// Retrains a sentence embedder from the assistant's feedback (`finch retrain`,
/// `POST /v1/models/{name}/retrain` on an embedder): the accepted query → entry
/// pairs of every assistant collection served with it, plus a replay sample of
/// the collections' alternative → question pairs, fine-tune a copy of the
/// active version contrastively (`ContrastiveFineTuning`: sentence-transformers'
/// MultipleNegativesRankingLoss with in-batch negatives and its `fit`
/// defaults, `RetrainOptions.contrastive`). Both versions are compared by
/// retrieval hit@1 (and MRR@10) on held-out alternatives and held-out feedback
/// (see `EmbedderRetraining` for the choices); the new version is registered
/// with `retrain_report.json` and activated only when `RetrainGuard` allows.
///
/// When the new version is to go live, the collections served with the
/// embedder are embedded with it first (from its folder, while the old
/// version answers), then it is activated and the re-embedded collections
/// replace the old ones at once (`AssistantService.reembed(model:with:around:)`):
/// queries are embedded by the active version, so the entries' vectors must
/// come from it too. Asks are answered throughout. (A
/// service also re-embeds on any other swap of an embedder's version, e.g. an
/// admin's activation, `AssistantService.followVersionSwaps`, and at start
/// redoes collections embedded by another version, `reembedStaleCollections`.)
///
/// An ask that embedded its query just before the swap and reads the
/// collection just after it (or the reverse) mixes versions once; it is
/// answered, perhaps less well.
public final class EmbedderRetrainer: ModelRetrainer {
    public let kinds: Set<ModelKind> = [.embedder]
    let registry: ModelRegistry
    let feedback: any FeedbackRepository
    let assistant: AssistantService
    let options: RetrainOptions

    public init(
        registry: ModelRegistry, feedback: any FeedbackRepository, assistant: AssistantService, options: RetrainOptions = RetrainOptions()
    ) {
        self.registry = registry
        self.feedback = feedback
        self.assistant = assistant
        self.options = options
    }

    public func retrain(model name: String, progress: @escaping @Sendable (ProgressEvent) -> Void) async throws -> RetrainOutcome {
        let active = try await activeVersion(of: name, in: registry)
        func nothing(_ why: String) -> RetrainOutcome {
            RetrainOutcome(
                model: name, newVersion: nil, previousVersion: active.version, activated: false, reason: why, previousMetrics: [:],
                newMetrics: [:])
        }
        try await assistant.reloadIfChanged()
        let collections = assistant.list().filter { $0.record.model == name }
        guard !collections.isEmpty else {
            return nothing("no assistant collection is served with \"\(name)\"; nothing to retrain on")
        }
        var records: [String: [FeedbackRecord]] = [:]
        for c in collections { records[c.record.name] = try await feedback.feedback(FeedbackQuery(collection: c.record.name)) }
        let data = EmbedderRetraining.data(collections: collections, feedback: records)
        guard !data.feedback.isEmpty else {
            return nothing(
                "no accepted assistant answers (a kept query and the entry chosen) for the collections served with \"\(name)\"; "
                    + "nothing to retrain on")
        }
        let base = URL(fileURLWithPath: active.path)
        let out = FineTunedModelRetrainer.outputFolder(for: active, root: options.outputRoot)
        let options = options
        let version = active.version
        let result = try await FineTunedModelRetrainer.onThread {
            try EmbedderRetraining.run(
                model: name, previousVersion: version, base: base, data: data, out: out, options: options, progress: progress)
        }
        var report = result.report
        progress(ProgressEvent(stage: "register", step: 0, stepCount: 1, elapsedSeconds: report.trainingSeconds))
        let record: ModelVersionRecord
        if report.activated {
            // Queries are embedded by the active version, so the entries must be too: the collections are embedded
            // with the new version first, then it is activated and they replace the old ones at once.
            let embedding = try FolderEmbedding(out).embedding
            let (registered, redone) = try await assistant.reembed(model: name, with: embedding) {
                try await registry.register(name: name, path: out.path, activate: true)
            }
            record = registered
            report.reason += "; re-embedded \(redone.count) collection\(redone.count == 1 ? "" : "s") with version \(record.version)"
        } else {
            record = try await registry.register(name: name, path: out.path, activate: false)
        }
        report.newVersion = record.version
        try report.write(to: out)
        try FineTunedModelRetrainer.writeCard(folder: out, base: base, kind: active.kind, name: name, report: report, options: options)
        progress(ProgressEvent(stage: "register", step: 1, stepCount: 1, elapsedSeconds: report.trainingSeconds))
        return RetrainOutcome(
            model: name, newVersion: record.version, previousVersion: active.version, activated: report.activated,
            reason: report.reason, previousMetrics: report.previous.metrics(report.metric), newMetrics: report.new.metrics(report.metric))
    }
}

/// The sentence vectors of a version not yet served, from its folder: unit
/// vectors as `AssistantService.registryEmbedding` gives them, computed on a
/// thread of their own (one call at a time).
final class FolderEmbedding: @unchecked Sendable {
    private let embedder: TextEmbedder
    private let lock = NSLock()

    init(_ folder: URL) throws {
        embedder = try TextEmbedder(directory: folder)
    }

    var embedding: AssistantEmbedding {
        { texts, _ in
            try await FineTunedModelRetrainer.onThread { [self] in
                try lock.withLock {
                    let vectors = try embedder.embed(texts)
                    let d = vectors.shape[1], values = vectors.scalars
                    return (0..<texts.count).map { InferenceService.normalized(Array(values[($0 * d)..<(($0 + 1) * d)])) }
                }
            }
        }
    }
}
