import FinchSupport
import FinchTensor
import FinchTrain
import FinchTransformers
import Foundation

/// The synchronous work of an embedder retrain: the retrieval pairs, the
/// contrastive fine-tuning of a copy of the active version, the evaluation of
/// both versions and the guard's decision. Nothing here touches the registry
/// or the stores.
///
/// Design decisions:
/// - Training pairs are accepted assistant answers: the query → the entry the
///   person chose (feedback of kind `answer` with a kept query and an entry;
///   "none of these" feedback names no entry and is not a pair), the latest per
///   query and collection, for every collection served with this embedder.
/// - An entry's positive text is its question (the entry also holds
///   alternatives and answers; the question is the text that stands for it),
///   with the collection's prefix before both texts, as the assistant embeds them.
/// - An embedder has no recorded training data (it usually comes pretrained
///   from elsewhere), so the replay and the "held-out set recorded with the
///   model" are the collections' own alternative → question pairs (an
///   accepted query that became an alternative is feedback, not replay): a
///   seeded `feedbackHoldOutFraction` of them (at least 1) is held out to
///   compare the versions on, the rest is the replay sample. The held-out set
///   therefore follows the collections as they are at retrain time.
/// - Both versions are measured by retrieval: each held-out query (or
///   alternative) against the questions of its collection's entries, by
///   cosine; hit@1 is the report's metric (the guard's), MRR@10 is reported too.
enum EmbedderRetraining {
    /// One query and the entry it should retrieve in its collection.
    struct Query: Sendable, Equatable {
        var collection: String
        var text: String
        /// The entry's position in the collection.
        var entry: Int
    }

    /// A collection as the retrain sees it: the prefix and each entry's question, in entry order.
    struct Collection: Sendable, Equatable {
        var prefix: String
        var questions: [String]
    }

    /// Everything a retrain trains and evaluates on.
    struct Data: Sendable {
        var collections: [String: Collection]
        var feedback: [Query]
        var replay: [Query]
    }

    /// The retrieval pairs of `collections` (served with the embedder) and their feedback records.
    static func data(collections: [AssistantService.Served], feedback: [String: [FeedbackRecord]]) -> Data {
        var out = Data(collections: [:], feedback: [], replay: [])
        for served in collections.sorted(by: { $0.record.name < $1.record.name }) {
            let name = served.record.name
            let entries = served.entries.map(\.entry)
            out.collections[name] = Collection(prefix: served.record.prefix, questions: entries.map(\.question))
            var position: [String: Int] = [:]
            for (i, e) in entries.enumerated() { position[e.id] = i }
            // The latest accepted entry per query.
            var latest: [String: (order: Int, entry: Int)] = [:]
            for (i, r) in (feedback[name] ?? []).enumerated() where r.kind == .answer {
                guard let query = r.input, !query.trimmingWhitespace.isEmpty else { continue }
                let key = FAQCollection.normalizedKey(query)
                guard let id = r.entry, let entry = position[id] else {
                    latest[key] = nil  // "none of these" (or a deleted entry) replaces an earlier answer
                    continue
                }
                latest[key] = (i, entry)
            }
            let accepted = latest.sorted { $0.value.order < $1.value.order }
            out.feedback += accepted.map { Query(collection: name, text: $0.key, entry: $0.value.entry) }
            let feedbackTexts = Set(accepted.map(\.key))
            for (i, e) in entries.enumerated() {
                for alternative in e.alternatives {
                    let key = FAQCollection.normalizedKey(alternative)
                    guard !feedbackTexts.contains(key), key != FAQCollection.normalizedKey(e.question) else { continue }
                    out.replay.append(Query(collection: name, text: alternative, entry: i))
                }
            }
        }
        return out
    }

    /// Seeded split of the replay pairs into (replay sample pool, held out): `fraction` of them, at least 1.
    static func splitReplay(_ replay: [Query], fraction: Double, seed: UInt64) -> (train: [Query], heldOut: [Query]) {
        guard !replay.isEmpty else { return ([], []) }
        let count = Swift.min(Swift.max(1, Int((Double(replay.count) * fraction).rounded())), replay.count)
        let order = ClassifierRetraining.shuffled(Array(replay.indices), seed: seed)
        let held = Set(order.prefix(count))
        return (
            replay.indices.filter { !held.contains($0) }.map { replay[$0] }, replay.indices.filter { held.contains($0) }.map { replay[$0] }
        )
    }

    /// The training pair of a query: prefix + query → prefix + the entry's question.
    static func pair(_ q: Query, in collections: [String: Collection]) -> ContrastivePair {
        let c = collections[q.collection]!
        return ContrastivePair(anchor: c.prefix + q.text, positive: c.prefix + c.questions[q.entry])
    }

    /// Fine-tunes `base` into `out` on the feedback and replay and evaluates both versions.
    static func run(
        model: String, previousVersion: Int, base: URL, data: Data, out: URL, options: RetrainOptions,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) throws -> ClassifierRetraining.Result {
        let start = Date()
        func report(_ stage: String, _ step: Int, _ count: Int, _ metrics: [String: Double] = [:]) {
            progress(
                ProgressEvent(stage: stage, step: step, stepCount: count, elapsedSeconds: Date().timeIntervalSince(start), metrics: metrics)
            )
        }
        let (trainFeedback, heldFeedback) = ClassifierRetraining.split(data.feedback, options: options)
        let (replayPool, replayHeld) = splitReplay(data.replay, fraction: options.feedbackHoldOutFraction, seed: options.seed &+ 2)
        let replay = Array(
            ClassifierRetraining.shuffled(replayPool, seed: options.seed &+ 1).prefix(trainFeedback.count * options.replayPerFeedback))
        report("prepare", 1, 1)

        var settings = options.contrastive
        settings.seed = options.seed
        let pairs = (trainFeedback + replay).map { pair($0, in: data.collections) }
        let task = try ContrastiveFineTuning.task(embedderDirectory: base, settings: settings)
        let batches = try task.encode(pairs, batchSize: settings.batchSize, seed: settings.seed)
        let trainer = try Trainer(task: task, configuration: settings.training, train: batches, dev: [], outputDirectory: out)
        let total = trainer.totalSteps
        _ = try trainer.run(events: { event in
            if case .step(let p) = event { report("train", p.step, total, ["loss": p.loss]) }
        })
        let trainingSeconds = Date().timeIntervalSince(start)
        try ClassifierRetraining.finishFolder(out, base: base, files: [])

        let feedbackForEvaluation = heldFeedback.isEmpty ? trainFeedback : heldFeedback
        report("evaluate", 0, 2)
        let previous = try evaluate(base, heldOut: replayHeld, feedback: feedbackForEvaluation, collections: data.collections)
        report("evaluate", 1, 2)
        let new = try evaluate(out, heldOut: replayHeld, feedback: feedbackForEvaluation, collections: data.collections)
        report("evaluate", 2, 2)
        var (activate, reason) = RetrainGuard.decide(previous: previous, new: new, metric: metric, margin: options.margin)
        if replayHeld.isEmpty {
            reason =
                "the collections served with it have no alternative phrasings to hold out, so a loss on them cannot be ruled out; "
                + "registered inactive"
        }
        let result = RetrainReport(
            model: model, metric: metric, previousVersion: previousVersion, previousPath: base.path, newVersion: nil, path: out.path,
            margin: options.margin, feedbackExamples: data.feedback.count, feedbackTrained: trainFeedback.count,
            feedbackHeldOut: heldFeedback.count,
            feedbackEvaluation: ClassifierRetraining.evaluationName(noneHeldOut: heldFeedback.isEmpty, options: options),
            replayExamples: replay.count, heldOutExamples: replayHeld.count, previous: previous, new: new, activated: activate,
            reason: reason, trainingSeconds: trainingSeconds, createdAt: Date())
        try result.write(to: out)
        return ClassifierRetraining.Result(report: result)
    }

    /// The report's metric: the share of queries whose entry's question is the nearest.
    static let metric = "hit_at_1"

    /// hit@1 and MRR@10 of the embedder in `folder` on the held-out replay pairs (nil when none) and on `feedback`.
    static func evaluate(_ folder: URL, heldOut: [Query], feedback: [Query], collections: [String: Collection]) throws
        -> VersionEvaluation
    {
        let embedder = try TextEmbedder(directory: folder)
        var questionVectors: [String: Tensor] = [:]
        for (name, c) in collections where !c.questions.isEmpty {
            questionVectors[name] = try embedder.embed(c.questions.map { c.prefix + $0 }).l2Normalized()
        }
        func measure(_ queries: [Query]) throws -> (hit: Double, mrr: Double)? {
            guard !queries.isEmpty else { return nil }
            let vectors = try embedder.embed(queries.map { collections[$0.collection]!.prefix + $0.text }).l2Normalized()
            let d = vectors.shape[1]
            var hits = 0.0, reciprocal = 0.0
            for (i, q) in queries.enumerated() {
                guard let questions = questionVectors[q.collection] else { continue }
                let query = Tensor(shape: [1, d], values: Array(vectors.scalars[(i * d)..<((i + 1) * d)]))
                let scores = query.matmul(questions, transposeB: true).scalars
                // Rank of the right entry: 1 + entries scoring strictly higher (a tie counts for the query).
                let rank = 1 + scores.indices.filter { $0 != q.entry && scores[$0] > scores[q.entry] }.count
                if rank == 1 { hits += 1 }
                if rank <= 10 { reciprocal += 1 / Double(rank) }
            }
            return (hits / Double(queries.count), reciprocal / Double(queries.count))
        }
        let held = try measure(heldOut), fed = try measure(feedback)
        return VersionEvaluation(heldOut: held?.hit, feedback: fed?.hit ?? 0, heldOutMRR: held?.mrr, feedbackMRR: fed?.mrr)
    }
}
