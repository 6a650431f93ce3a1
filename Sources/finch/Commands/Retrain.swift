import ArgumentParser
import FinchApps
import FinchServer
import FinchSupport
import FinchTrain
import Foundation

/// `finch retrain`: one guarded retrain of a registered model from its feedback, on the service's store.
struct Retrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Retrain a served classifier, tagger or embedder from its feedback; activate the new version only when it is better.",
        discussion: """
            Fine-tunes a copy of the model's active version on its feedback (the latest label, or entity \
            spans, per input) plus a replay sample of the data it was trained on (recorded in its folder by \
            finch train classify|ner), evaluates both versions on the recorded held-out set and on held-out \
            feedback (accuracy; entity-level F1 for a tagger), and registers the new version with \
            retrain_report.json beside it. The new version is activated only when its held-out score is at \
            most --margin below the old one's and it is better on the feedback; \
            otherwise it stays registered, inactive, and the report says why. A running finch serve on the \
            same store picks up the activation at its next reload.

            An embedder is retrained from the assistant's feedback instead: the accepted answers (query → the \
            entry chosen) of the collections it serves, plus their alternative phrasings as replay, fine-tune \
            it contrastively (MultipleNegativesRankingLoss with in-batch negatives, scale 20; defaults 1 \
            epoch, lr 2e-5, batches of 16 pairs); both versions are compared by retrieval hit@1 on held-out \
            alternatives and held-out answers, and when the new version is activated the collections are \
            re-embedded with it.
            """)

    @Option(help: "The registered model to retrain.") var model: String
    @OptionGroup var store: StoreOptions
    @Option(help: "Largest held-out score loss (a fraction) the new version may have and still be activated.") var margin = 0.01
    @Option(help: "Passes over feedback plus replay (default: 3; an embedder: 1).") var epochs: Int?
    @Option(name: .customLong("lr"), help: "Peak learning rate, AdamW (default: 5e-5; an embedder: 2e-5).") var learningRate: Double?
    @Option(name: .customLong("batch-size"), help: "Examples per batch (default: 8; an embedder: 16 pairs).") var batchSize: Int?
    @Option(name: .customLong("out-dir"), help: "Folder for the new version (default: beside the active version's folder).")
    var outDir: String?
    @Option(help: "Seed of the feedback split, replay sample and batch order.") var seed: UInt64 = 42
    @OptionGroup var runs: RunsOption

    func validate() throws {
        guard margin >= 0 && margin <= 1 else { throw ValidationError("--margin must be in [0, 1]") }
        guard epochs.map({ $0 > 0 }) ?? true else { throw ValidationError("--epochs must be at least 1") }
        guard learningRate.map({ $0 > 0 && $0.isFinite }) ?? true else { throw ValidationError("--lr must be a positive number") }
        guard batchSize.map({ $0 > 0 }) ?? true else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        let db = try await store.open()
        let registry = ModelRegistry(store: db.models, options: BatchingOptions())
        defer { registry.shutdown() }
        try await registry.loadActiveVersions()
        var options = RetrainOptions()
        options.margin = margin
        // A value given applies to every kind; the defaults are each kind's own.
        if let epochs {
            options.epochs = epochs
            options.contrastive.epochs = epochs
        }
        if let learningRate {
            options.learningRate = learningRate
            options.contrastive.learningRate = learningRate
        }
        if let batchSize {
            options.batchSize = batchSize
            options.contrastive.batchSize = batchSize
        }
        options.seed = seed
        options.outputRoot = outDir.map { URL(fileURLWithPath: $0) }
        // The run is recorded from here, so a model that cannot be retrained is a failed run too; the
        // retrainer records the training steps and how the retrain ended.
        let kind = try? registry.model(named: model).kind
        // The store blocks: opened and written off the cooperative pool this async command runs on.
        let start = runStart(options, kind: kind), flag = runs.runs
        let recorder = try await RunStoreThread.run { try RunsOption.begin(flag: flag) { start } }
        // An embedder's new version re-embeds the assistant collections it serves, in the store.
        let assistant = AssistantService(store: db.assistant, embedding: AssistantService.registryEmbedding(registry))
        try await assistant.reload()
        var retrainers: [any ModelRetrainer] = [
            FineTunedModelRetrainer(registry: registry, feedback: db.feedback, options: options),
            EmbedderRetrainer(registry: registry, feedback: db.feedback, assistant: assistant, options: options),
        ]
        if let recorder {
            retrainers = retrainers.map { base in
                let epochs = options.epochs(kind: base.kinds.contains(.embedder) ? .embedder : nil)
                return RunRecordingRetrainer(base: base, registry: registry, epochs: epochs) { _ in recorder }
            }
        }
        let jobs = RetrainJobs(registry: registry, retrainers: retrainers, audit: nil)
        let outcome: RetrainOutcome
        do {
            let started = try jobs.start(model: model, actor: "cli")
            let final = await jobs.wait(id: started.id)
            try await db.close()
            guard let final else { throw ExitCode.failure }
            if let error = final.error { throw RetrainFailure(message: error) }
            guard let done = final.outcome else { throw ExitCode.failure }
            outcome = done
            if let problem = recorder?.recordingError {
                ProgressBar.write("note: the run store stopped recording run \(recorder!.id) early: \(problem)\n")
            }
        } catch {
            _ = try? await RunStoreThread.run { RunTracking.fail(recorder, error) }
            throw error
        }
        try StandardOutput.line(outcome.reason)
        if let version = outcome.newVersion {
            try StandardOutput.line("\(outcome.model) version \(version) registered, \(outcome.activated ? "active" : "inactive")")
        }
        for key in Set(outcome.previousMetrics.keys).union(outcome.newMetrics.keys).sorted() {
            let old = outcome.previousMetrics[key].map { String(format: "%.4f", $0) } ?? "-"
            let new = outcome.newMetrics[key].map { String(format: "%.4f", $0) } ?? "-"
            try StandardOutput.line("\(key)\t\(old)\t\(new)")
        }
    }

    /// The run's start: the retrain's settings as parameters (its data is the store's feedback, not a file).
    func runStart(_ o: RetrainOptions, kind: ModelKind?) -> RunStart {
        RunStart(
            kind: "retrain", model: model, command: Card.commandLine, outputDirectory: outDir,
            parameters: o.runParameters(kind: kind).merging(["model": model]) { $1 })
    }
}

/// A retrain that failed, with the library's message.
struct RetrainFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
