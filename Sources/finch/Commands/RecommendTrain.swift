import ArgumentParser
import FinchRecommend
import FinchSupport
import FinchTrain
import Foundation

/// `finch recommend train`: fit on a whole file and save the model.
struct RecommendTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an algorithm on a ratings file and save the model directory.",
        discussion: """
            Progress per epoch goes to standard error; a JSON summary to standard output. With --hybrid, \
            --item-text and --embedder: the items' texts are embedded by the sentence encoder, the ranking \
            blends the collaborative score with the cosine to the user's text-interest profile and with \
            popularity (weights fitted by a logistic model on each user's latest --validation-last events), \
            and an evaluation on each user's latest --test-last events prints the collaborative model alone, \
            the hybrid and popularity side by side (NDCG@10, recall@10) before the final model is fitted on \
            everything.
            """
    )

    @OptionGroup var input: RatingsFileOptions
    @Option(help: "Algorithm: baseline, popular, svd, svdpp, als, bpr, itemknn.") var algorithm: String
    @Option(
        help: "Model directory to write: new, empty, or a model written before (only its own files are replaced, each atomically)."
    )
    var out: String
    @Option(help: "Seed of the model initialization.") var seed: UInt64 = 0
    @OptionGroup var hyperparameters: HyperparameterOptions
    @OptionGroup var hybridOptions: HybridTrainOptions
    @OptionGroup(title: "Several processes") var distributed: DistributedOptions

    func validate() throws {
        do { _ = try Algorithm(named: algorithm) } catch { throw ValidationError("\(error)") }
    }

    func run() throws {
        let algorithm = try Algorithm(named: algorithm)
        if hybridOptions.hybrid {
            try runHybrid(algorithm)
            return
        }
        if let communicator = try distributed.communicatorIfAsked() {
            try runDistributed(algorithm, communicator: communicator)
            return
        }
        let outURL = URL(fileURLWithPath: out)
        try RecommenderModel.checkOutputDirectory(outURL)
        let model: RecommenderModel
        let dataset: RatingDataset
        let start = ContinuousClock.now
        let lock = try OutputDirectoryGuard(outURL)
        defer { withExtendedLifetime(lock) {} }
        do {
            dataset = try input.load()
            let parameters = try hyperparameters.parameters(for: algorithm, seed: seed)
            model = try RecommenderModel.train(
                dataset, algorithm: algorithm, parameters: parameters, observer: RecommendTerminal.observer(label: algorithm.rawValue))
            try model.save(to: outURL)
        } catch {
            lock.discardIfCreated()
            throw error
        }
        try finish(model, algorithm: algorithm, dataset: dataset, start: start, folder: outURL)
    }
}

extension RecommendTrain {
    /// After a saved model: its card, then the JSON summary on standard output.
    func finish(
        _ model: RecommenderModel, algorithm: Algorithm, dataset: RatingDataset, start: ContinuousClock.Instant, folder: URL
    ) throws {
        let elapsed = ContinuousClock.now - start
        try Card.afterTraining(
            folder: folder,
            run: try recordOfRun(algorithm: algorithm, parameters: model.recommender.parameters, dataset: dataset, start: start))
        try RecommendTerminal.printJSON(
            TrainSummary(
                model: out, algorithm: algorithm.rawValue, parameters: model.recommender.parameters, users: dataset.users.count,
                items: dataset.items.count, ratings: dataset.count, feedback: dataset.feedback.rawValue,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
    }

    /// The run record for the model card: the ratings file (rows, SHA-256), algorithm, parameters and seed.
    func recordOfRun(
        algorithm: Algorithm, parameters: [String: String], dataset: RatingDataset, start: ContinuousClock.Instant,
        extraFiles: [DataFileRecord] = [], metrics: [String: Double] = [:], evaluation: String? = nil
    ) throws -> TrainingRunRecord {
        var settings = parameters
        settings["algorithm"] = algorithm.rawValue
        settings["seed"] = String(seed)
        settings["feedback"] = dataset.feedback.rawValue
        return TrainingRunRecord(
            task: "recommendation", command: Card.commandLine, settings: settings,
            dataFiles: [try DataFileRecord.measure(role: "ratings", path: input.ratings, rows: dataset.count)] + extraFiles,
            evaluationData: evaluation, metrics: metrics, seconds: Card.seconds(since: start), finchVersion: FinchVersion.string)
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
            item in the file). Explicit ratings must lie in the model's rating scale (or --rating-scale). The \
            model's files are replaced atomically; the directory is locked meanwhile.
            """
    )

    @Option(help: "Model directory written by `finch recommend train`.") var model: String
    @OptionGroup var input: RatingsFileOptions
    @Flag(name: .customLong("refit-items"), help: "Also re-solve items that already had ratings.") var refitItems = false

    func run() throws {
        let url = URL(fileURLWithPath: model)
        var loaded = try RecommenderModel.load(from: url)
        let lock = try OutputDirectoryGuard(url)
        defer { withExtendedLifetime(lock) {} }
        let dataset = try input.load(scale: loaded.feedback == .explicit ? loaded.ratingScale : nil)
        let summary = try loaded.foldIn(dataset, refitExistingItems: refitItems)
        try loaded.save(to: url)
        try RecommendTerminal.printJSON(summary)
    }
}

/// The lock on a command's output directory, and whether the command created
/// the directory: a run that fails before writing removes what it created
/// (the lock file and the then empty directory) and nothing else.
final class OutputDirectoryGuard {
    private let lock: OutputFolderLock
    private let created: Bool

    /// Locks `url`, creating it when absent.
    init(_ url: URL) throws {
        created = !FileManager.default.fileExists(atPath: url.path)
        lock = try OutputFolderLock(url)
    }

    /// When this run created the directory: removes what the run may have
    /// written there (the model's files, the lock file) and the directory,
    /// which stays if anything else appeared in it meanwhile.
    func discardIfCreated() {
        guard created else { return }
        let folder = lock.folder.path
        for name in ["recommender.json", "arrays.safetensors", OutputFolderLock.fileName] + HybridModel.fileNames {
            unlink(folder + "/" + name)
        }
        rmdir(folder)  // fails, leaving it, if anything else is inside
    }
}
