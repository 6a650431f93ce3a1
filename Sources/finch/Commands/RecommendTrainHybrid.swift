import ArgumentParser
import FinchRecommend
import FinchSupport
import FinchTrain
import Foundation

/// The hybrid options of `finch recommend train`.
struct HybridTrainOptions: ParsableArguments {
    @Flag(help: "Build a hybrid: collaborative score + text interest + popularity (needs --item-text and --embedder).")
    var hybrid = false
    @Option(
        name: .customLong("item-text"),
        help: ArgumentHelp(
            "Item texts as JSON Lines: {\"item\", \"text\", \"title\"?, \"categories\"?, \"available\"?} (with --hybrid).",
            valueName: "file"))
    var itemText: String?
    @Option(help: "Sentence-embedding model for the item texts: a directory or hf:ORG/NAME (with --hybrid).") var embedder: String?
    @Option(name: .customLong("validation-last"), help: "Latest events per user the blend is fitted on (with --hybrid).")
    var validationLast = 5
    @Option(name: .customLong("test-last"), help: "Latest events per user held out for the printed evaluation (with --hybrid).")
    var testLast = 5

    func validate() throws {
        if hybrid {
            guard itemText != nil, embedder != nil else { throw ValidationError("--hybrid needs --item-text and --embedder") }
        } else if itemText != nil || embedder != nil {
            throw ValidationError("--item-text and --embedder are used only with --hybrid")
        }
        guard validationLast >= 1 else { throw ValidationError("--validation-last must be at least 1, got \(validationLast)") }
        guard testLast >= 1 else { throw ValidationError("--test-last must be at least 1, got \(testLast)") }
    }
}

/// The JSON summary of a hybrid build.
struct HybridTrainSummary: Encodable {
    let model: String
    let algorithm: String
    let parameters: [String: String]
    let users: Int
    let items: Int
    let ratings: Int
    let itemsWithText: Int
    let weights: [String: Double]
    let evaluation: [String: [String: Double]]
    let seconds: Double

    enum CodingKeys: String, CodingKey {
        case model, algorithm, parameters, users, items, ratings, weights, evaluation, seconds
        case itemsWithText = "items_with_text"
    }
}

extension RecommendTrain {
    /// Embeds the item texts, prints the side-by-side evaluation, fits the
    /// hybrid on everything and saves it.
    func runHybrid(_ algorithm: Algorithm) throws {
        let outURL = URL(fileURLWithPath: out)
        try RecommenderModel.checkOutputDirectory(outURL)
        let start = ContinuousClock.now
        let lock = try OutputDirectoryGuard(outURL)
        defer { withExtendedLifetime(lock) {} }
        var record: TrainingRunRecord? = nil
        do {
            let dataset = try input.load()
            let parameters = try hyperparameters.parameters(for: algorithm, seed: seed)
            let embedderURL = try ModelLocation.resolve(hybridOptions.embedder!)
            let catalog = try RecommendItemText.embedded(hybridOptions.itemText!, embedder: embedderURL)
            var vectors: [String: [Float]] = [:]
            for item in catalog { vectors[item.id] = item.embedding }
            var options = HybridTrainingOptions()
            options.validationLast = hybridOptions.validationLast
            if let scale = dataset.ratingScale, dataset.feedback == .explicit {
                options.eventWeights.positiveRating = scale.lower + 0.75 * (scale.upper - scale.lower)
            }
            let comparison = try HybridEvaluation.compare(
                dataset, algorithm: algorithm, parameters: parameters, embeddings: vectors, testLast: hybridOptions.testLast, k: 10,
                options: options)
            RecommendTerminal.note("evaluation on each user's latest \(hybridOptions.testLast) events (NDCG@10, recall@10):")
            for (name, r) in [
                (algorithm.rawValue, comparison.collaborative), ("hybrid", comparison.hybrid), ("popular", comparison.popularity),
            ] {
                RecommendTerminal.note(
                    "  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%.4f  %.4f", r.ndcg, r.recall))
            }
            let built = try HybridTrainer.build(
                dataset, algorithm: algorithm, parameters: parameters, embeddings: vectors, options: options,
                observer: RecommendTerminal.observer(label: algorithm.rawValue))
            try built.save(to: outURL, catalog: catalog)
            let w = built.scorer.weights
            func metrics(_ r: RankingAccuracy) -> [String: Double] { ["ndcg_at_10": r.ndcg, "recall_at_10": r.recall] }
            let elapsed = ContinuousClock.now - start
            let itemText = try DataFileRecord.measure(role: "item-text", path: hybridOptions.itemText!, rows: catalog.count)
            record = try recordOfRun(
                algorithm: algorithm, parameters: built.model.recommender.parameters, dataset: dataset, start: start,
                extraFiles: [itemText],
                metrics: ["ndcg_at_10": comparison.hybrid.ndcg, "recall_at_10": comparison.hybrid.recall],
                evaluation: "each user's latest \(hybridOptions.testLast) events, held out (hybrid ranking)")
            try RecommendTerminal.printJSON(
                HybridTrainSummary(
                    model: out, algorithm: algorithm.rawValue, parameters: built.model.recommender.parameters,
                    users: dataset.users.count, items: dataset.items.count, ratings: dataset.count,
                    itemsWithText: built.embeddings.present.filter { $0 }.count,
                    weights: [
                        "collaborative": Double(w.weight(.collaborative)), "text": Double(w.weight(.text)),
                        "popularity": Double(w.weight(.popularity)),
                    ],
                    evaluation: [
                        algorithm.rawValue: metrics(comparison.collaborative), "hybrid": metrics(comparison.hybrid),
                        "popular": metrics(comparison.popularity),
                    ],
                    seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
        } catch {
            lock.discardIfCreated()
            throw error
        }
        // The card comes after the model is safely written: a card that cannot be written does not discard the model.
        if let record { try Card.afterTraining(folder: outURL, run: record) }
    }
}
