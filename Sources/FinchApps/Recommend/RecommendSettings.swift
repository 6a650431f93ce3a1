import FinchRecommend
import Foundation

/// How a deployment serves recommendations (the `recommend_…` settings of `finch serve`).
public struct RecommendSettings: Sendable, Equatable {
    /// The registered recommender served by the `/v1/users/…` and `/v1/items/…` routes.
    public var model: String
    /// The registered embedder that embeds item texts for the cold-start
    /// mapping and the text profile (nil: items get no embedding).
    public var embedder: String?
    /// Event types and their weights (`recommend_event_weights`, `view=1,click=2,…`),
    /// the explicit rating type and the positive-rating threshold.
    public var eventWeights: EventWeights
    /// Distinct items a user needs before they get personal results.
    public var personalAfter: Int
    /// Latest events per user held out when a retrain compares the old and new versions.
    public var holdoutLast: Int
    /// How much worse (relative) the new version may be on the hold-out and still be activated.
    public var retrainMargin: Double
    /// Where retrained versions are written (one new folder each).
    public var modelsDirectory: String

    /// Settings for `model` with the default weights.
    public init(
        model: String, embedder: String? = nil, eventWeights: EventWeights = EventWeights(), personalAfter: Int = 3,
        holdoutLast: Int = 1, retrainMargin: Double = 0.02, modelsDirectory: String = "./finch-data/recommenders"
    ) {
        self.model = model
        self.embedder = embedder
        self.eventWeights = eventWeights
        self.personalAfter = personalAfter
        self.holdoutLast = holdoutLast
        self.retrainMargin = retrainMargin
        self.modelsDirectory = modelsDirectory
    }

    /// Reads `type=weight` pairs separated by commas (`view=1,click=2,like=4,purchase=8`).
    /// - Throws: `RecommendServiceError.invalidSetting` naming the pair.
    public static func parseWeights(_ text: String) throws -> [String: Float] {
        var weights: [String: Float] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[0].hasPrefix("_"), let w = Float(parts[1]), w.isFinite else {
                throw RecommendServiceError.invalidSetting(
                    name: "recommend_event_weights", reason: "\"\(pair)\" is not TYPE=WEIGHT (a name not starting with _, a finite number)")
            }
            weights[parts[0]] = w
        }
        guard !weights.isEmpty else {
            throw RecommendServiceError.invalidSetting(name: "recommend_event_weights", reason: "needs at least one TYPE=WEIGHT")
        }
        return weights
    }
}

/// Why the recommendation service refused a request.
public enum RecommendServiceError: Error, Equatable, CustomStringConvertible {
    /// No recommender is configured or active.
    case notConfigured(model: String)
    /// The user has no events and no attributes.
    case unknownUser(String)
    /// No such item in the catalogue or the model.
    case unknownItem(String)
    /// An event the deployment does not accept (`field` is `events[i].type` and so on).
    case invalidEvent(field: String, reason: String)
    /// An item that cannot be stored or placed (`field` names the part).
    case invalidItem(field: String, reason: String)
    /// A setting that cannot be read.
    case invalidSetting(name: String, reason: String)

    public var description: String {
        switch self {
        case .notConfigured(let model): "no active recommender named \"\(model)\" is served"
        case .unknownUser(let user): "no user \"\(user)\""
        case .unknownItem(let item): "no item \"\(item)\""
        case .invalidEvent(let field, let reason): "\(field): \(reason)"
        case .invalidItem(let field, let reason): "\(field): \(reason)"
        case .invalidSetting(let name, let reason): "\(name): \(reason)"
        }
    }
}
