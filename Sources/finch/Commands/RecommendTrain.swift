import ArgumentParser
import FinchRecommend
import Foundation

/// `finch recommend train`: fit on a whole file and save the model.
struct RecommendTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an algorithm on a ratings file and save the model directory.",
        discussion: "Progress per epoch goes to standard error; a JSON summary to standard output."
    )

    @OptionGroup var input: RatingsFileOptions
    @Option(help: "Algorithm: baseline, popular, svd, svdpp, als, bpr, itemknn.") var algorithm: String
    @Option(help: "Model directory to write (replaced atomically if it exists).") var out: String
    @Option(help: "Seed of the model initialization.") var seed: UInt64 = 0
    @OptionGroup var hyperparameters: HyperparameterOptions

    func run() throws {
        let algorithm = try Algorithm(named: algorithm)
        let dataset = try input.load()
        let parameters = try hyperparameters.parameters(for: algorithm, seed: seed)
        let start = ContinuousClock.now
        let model = try RecommenderModel.train(
            dataset, algorithm: algorithm, parameters: parameters, observer: RecommendTerminal.observer(label: algorithm.rawValue))
        let elapsed = ContinuousClock.now - start
        try model.save(to: URL(fileURLWithPath: out))
        try RecommendTerminal.printJSON(
            TrainSummary(
                model: out, algorithm: algorithm.rawValue, parameters: model.recommender.parameters, users: dataset.users.count,
                items: dataset.items.count, ratings: dataset.count, feedback: dataset.feedback.rawValue,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
    }
}

struct TrainSummary: Encodable {
    let model: String
    let algorithm: String
    let parameters: [String: String]
    let users: Int
    let items: Int
    let ratings: Int
    let feedback: String
    let seconds: Double
}

/// `finch recommend fold-in`: add new or changed users and items to a saved model.
struct RecommendFoldIn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fold-in",
        abstract: "Update a saved model with new ratings without retraining.",
        discussion: """
            Every user in the file is re-solved from all their ratings against the fixed item factors; \
            every item that had no ratings before is then solved against the users (--refit-items: every \
            item in the file). The model directory is replaced atomically.
            """
    )

    @Option(help: "Model directory written by `finch recommend train`.") var model: String
    @OptionGroup var input: RatingsFileOptions
    @Flag(name: .customLong("refit-items"), help: "Also re-solve items that already had ratings.") var refitItems = false

    func run() throws {
        let url = URL(fileURLWithPath: model)
        var loaded = try RecommenderModel.load(from: url)
        let dataset = try input.load()
        let summary = try loaded.foldIn(dataset, refitExistingItems: refitItems)
        try loaded.save(to: url)
        try RecommendTerminal.printJSON(summary)
    }
}
