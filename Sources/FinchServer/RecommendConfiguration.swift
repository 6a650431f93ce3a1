import FinchApps
import FinchRecommend
import Foundation

/// The `recommend_…` settings of `finch serve`:
///
/// - `recommend_model`: the registered recommender the recommendation routes serve (unset: they answer 503);
/// - `recommend_embedder`: the registered embedder for item texts (cold start, text interest);
/// - `recommend_event_weights`: implicit event types and weights, `view=1,click=2,like=4,purchase=8` (the default);
/// - `recommend_rating_type` (`rating`) and `recommend_positive_rating` (4): explicit models' event type and "liked" threshold;
/// - `recommend_personal_after` (3): distinct items before a user gets personal results;
/// - `recommend_retrain_margin` (0.02): how much worse (relative) a retrained version may be and still be activated;
/// - `recommend_holdout_last` (1): latest events per user a retrain holds out to compare the versions;
/// - `recommend_retrain_every` (off): retrain the recommender from the stored events on a schedule, every
///   `N` seconds or `Ns`, `Nm`, `Nh`, `Nd` (at least 60 s); each run is an ordinary retrain job (`GET /v1/jobs`),
///   guarded like one started by hand. Set it on one instance of a group: each instance keeps its own schedule.
public struct RecommendConfiguration: Sendable, Equatable {
    public var model: String?
    public var embedder: String?
    public var eventWeights = EventWeights()
    public var personalAfter = 3
    public var retrainMargin = 0.02
    public var holdoutLast = 1
    /// Seconds between scheduled retrains; nil: only on demand.
    public var retrainEvery: Double?

    public init() {}

    /// The keys, as `ServerConfiguration.keys` lists them.
    static let keys = [
        "recommend_model", "recommend_embedder", "recommend_event_weights", "recommend_rating_type", "recommend_positive_rating",
        "recommend_personal_after", "recommend_retrain_margin", "recommend_holdout_last", "recommend_retrain_every",
    ]

    /// Sets `key` from `value`.
    /// - Throws: `ConfigurationError` naming `source`.
    mutating func set(_ key: String, _ value: String, source: String) throws {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        func number(_ range: ClosedRange<Double>) throws -> Double {
            guard let v = Double(trimmed), range.contains(v) else {
                throw ConfigurationError(key: source, message: "\"\(value)\" is not a number in \(range.lowerBound)...\(range.upperBound)")
            }
            return v
        }
        switch key {
        case "recommend_model": model = trimmed.isEmpty ? nil : trimmed
        case "recommend_embedder": embedder = trimmed.isEmpty ? nil : trimmed
        case "recommend_event_weights":
            do { eventWeights.weights = try RecommendSettings.parseWeights(trimmed) } catch let e as RecommendServiceError {
                throw ConfigurationError(key: source, message: e.description)
            }
        case "recommend_rating_type":
            guard !trimmed.isEmpty, !trimmed.hasPrefix("_") else {
                throw ConfigurationError(key: source, message: "must be a name not starting with _")
            }
            eventWeights.ratingType = trimmed
        case "recommend_positive_rating": eventWeights.positiveRating = Float(try number(-1e9...1e9))
        case "recommend_personal_after": personalAfter = Int(try number(1...1000))
        case "recommend_retrain_margin": retrainMargin = try number(0...1)
        case "recommend_holdout_last": holdoutLast = Int(try number(1...100))
        case "recommend_retrain_every":
            guard let seconds = Self.duration(trimmed) else {
                throw ConfigurationError(
                    key: source, message: "\"\(value)\" is not a duration: seconds, or a number with s, m, h or d (\"24h\"); off for none")
            }
            guard seconds == 0 || seconds >= Self.shortestRetrainInterval else {
                throw ConfigurationError(key: source, message: "retraining more often than every 60 s is not allowed (\"\(value)\")")
            }
            retrainEvery = seconds == 0 ? nil : seconds
        default: throw ConfigurationError(key: source, message: "unknown setting")
        }
    }

    /// The shortest schedule `recommend_retrain_every` accepts (tests set `retrainEvery` directly).
    static let shortestRetrainInterval = 60.0

    /// Seconds in `text`: `90`, `90s`, `30m`, `24h`, `7d`; `off` and `0` are 0; nil when it is none of these.
    static func duration(_ text: String) -> Double? {
        let t = text.lowercased()
        if t == "off" || t == "0" { return 0 }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var number = Substring(t), unit = 1.0
        if let last = t.last, let u = units[last] {
            number = t.dropLast()
            unit = u
        }
        guard let n = Double(number), n.isFinite, n > 0 else { return nil }
        return n * unit
    }

    /// The service settings (nil without `recommend_model`); retrained versions go under `dataDirectory/recommenders`.
    public func settings(dataDirectory: String) -> RecommendSettings? {
        guard let model else { return nil }
        return RecommendSettings(
            model: model, embedder: embedder, eventWeights: eventWeights, personalAfter: personalAfter, holdoutLast: holdoutLast,
            retrainMargin: retrainMargin,
            modelsDirectory: URL(fileURLWithPath: dataDirectory).appendingPathComponent("recommenders").path)
    }
}
