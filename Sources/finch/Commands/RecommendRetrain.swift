import ArgumentParser
import FinchApps
import FinchServer
import FinchSupport
import Foundation

/// `finch recommend retrain`: a guarded retrain of a served recommender from the store's events.
struct RecommendRetrain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrain",
        abstract: "Rebuild a registered recommender from the service's stored events; activate it only if it is not worse.",
        discussion: """
            Trains the active version's algorithm and hyperparameters on every stored event (users whose data \
            was erased are skipped), compares old and new on each user's latest events since the old version \
            (RMSE for explicit models, NDCG@10 and recall@10 for implicit ones), registers the new version and \
            activates it only when it is worse by at most the margin. A running finch serve picks the new \
            version up and folds in the events that arrived meanwhile. Prints the outcome as JSON.
            """
    )

    @Option(help: "The registered recommender to retrain.") var model: String
    @Option(help: "How much worse (relative) the new version may be and still be activated (default 0.02).") var margin: Double?
    @Option(name: .customLong("holdout-last"), help: "Latest events per user held out for the comparison (default 1).")
    var holdoutLast: Int?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let margin { guard (0...1).contains(margin) else { throw ValidationError("--margin must be in 0...1, got \(margin)") } }
        if let holdoutLast {
            guard holdoutLast >= 1 else { throw ValidationError("--holdout-last must be at least 1, got \(holdoutLast)") }
        }
    }

    func run() async throws {
        var flags: [String: String] = [:]
        flags["data_dir"] = store.dataDir
        flags["database_url"] = store.databaseURL
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.load(file: store.config, environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        var recommend = configuration.recommend
        recommend.model = model
        if let margin { recommend.retrainMargin = margin }
        if let holdoutLast { recommend.holdoutLast = holdoutLast }
        guard let settings = recommend.settings(dataDirectory: configuration.dataDirectory) else { return }
        let opened = try await StoreFactory.open(configuration)
        let registry = ModelRegistry(store: opened.models, options: configuration.batching)
        for failure in try await registry.loadActiveVersions() where failure.record.name == model { throw failure.error }
        let retrainer = RecommendRetrainer(settings: settings, repository: opened.recommendEvents, registry: registry)
        let outcome = try await retrainer.retrain(model: model) { event in
            RecommendTerminal.note("retrain: \(event.stage)")
        }
        registry.shutdown()
        try await opened.close()
        try RecommendTerminal.printJSON(outcome)
    }
}
