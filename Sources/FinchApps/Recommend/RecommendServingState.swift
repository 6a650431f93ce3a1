import FinchRecommend
import FinchSupport
import Foundation

/// What a recommender folder says about the store events it was trained on:
/// `finch_events.json`, `{"through_sequence": N}`, written by a retrain. A
/// folder without it (trained from a file) saw no stored event.
public struct TrainedThrough: Codable, Sendable, Equatable {
    /// The largest event sequence in its training data.
    public var sequence: Int64

    enum CodingKeys: String, CodingKey { case sequence = "through_sequence" }

    /// The file name in the model folder.
    public static let fileName = "finch_events.json"

    /// Creates a marker.
    public init(sequence: Int64) { self.sequence = sequence }

    /// The marker of `folder` (sequence 0 when it has none).
    /// - Throws: `RecommendError.modelFile` for a marker that cannot be read.
    public static func read(folder: URL) throws -> TrainedThrough {
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return TrainedThrough(sequence: 0) }
        do { return try JSONDecoder().decode(TrainedThrough.self, from: Data(contentsOf: url)) } catch {
            throw RecommendError.modelFile(path: url.path, reason: "not a {\"through_sequence\": N} object")
        }
    }

    /// Writes the marker into `folder` atomically.
    public func write(folder: URL) throws {
        try AtomicFile.write(JSONEncoder().encode(self), to: folder.appendingPathComponent(Self.fileName))
    }
}

/// One active recommender version as served: the online state and the last
/// stored event folded into it.
struct RecommendServingState: Sendable {
    var online: OnlineRecommender
    var version: Int
    var appliedThrough: Int64

    /// The event type training-data rows are replayed under (never accepted from clients).
    static let trainingType = "_trained"

    /// The options for `feedback`: the deployment's weights plus the training
    /// rows' own type (their values are already learnt values).
    static func options(_ settings: RecommendSettings, feedback: FinchRecommend.FeedbackKind) -> OnlineOptions {
        var options = OnlineOptions()
        options.eventWeights = settings.eventWeights
        options.eventWeights.weights[trainingType] = 1
        options.personalAfter = settings.personalAfter
        return options
    }

    /// Loads the folder of `record` (a hybrid when it holds one), its
    /// catalogue overlaid with the stored items, fits the cold-start mapping
    /// on the items that have text (latent-factor models only), and folds in
    /// the stored events it was not trained on — all but `erased` users'.
    static func load(
        path: String, version: Int, settings: RecommendSettings, items: [RecommendItemRecord], events: [RecommendEventRecord],
        erased: Set<String>
    ) throws -> (state: RecommendServingState, folded: Int, skipped: Int) {
        let url = URL(fileURLWithPath: path)
        let through = try TrainedThrough.read(folder: url)
        var catalog: [String: CatalogItem] = [:]
        let hybrid: HybridModel?
        let model: RecommenderModel
        if HybridModel.exists(in: url) {
            let loaded = try HybridModel.load(from: url)
            hybrid = loaded.model
            model = loaded.model.model
            for item in loaded.catalog { catalog[item.id] = item }
        } else {
            hybrid = nil
            model = try RecommenderModel.load(from: url)
        }
        for item in items where !(item.isPlaceholder && catalog[item.id] != nil) {
            catalog[item.id] = CatalogItem(
                id: item.id, title: item.title, categories: item.categories, isAvailable: item.available,
                embedding: item.embedding ?? catalog[item.id]?.embedding)
        }
        var features: [String: [Float]] = [:]
        if let hybrid {
            for (i, id) in model.items.ids.enumerated() where i < hybrid.embeddings.itemCount && hybrid.embeddings.present[i] {
                features[id] = hybrid.embeddings.vector(i)
            }
        }
        for item in catalog.values { if let e = item.embedding, features[item.id] == nil { features[item.id] = e } }
        let dimension = features.values.first?.count
        var coldStart: (any ColdStartMapping)? = nil
        if let dimension, model.recommender is any LatentItemRecommender,
            features.values.allSatisfy({ $0.count == dimension })
        {
            coldStart = try RidgeColdStartMapping.fit(model: model, features: features)
        }
        let options = Self.options(settings, feedback: model.feedback)
        let historyType = model.feedback == .explicit ? settings.eventWeights.ratingType : trainingType
        let history = InteractionEvent.events(of: model, type: historyType).filter { !erased.contains($0.user) }
        let ordered = catalog.values.sorted { $0.id < $1.id }
        var online: OnlineRecommender
        if let hybrid {
            online = try OnlineRecommender(hybrid: hybrid, history: history, catalog: ordered, coldStart: coldStart, options: options)
        } else {
            online = try OnlineRecommender(model: model, history: history, catalog: ordered, coldStart: coldStart, options: options)
        }
        for user in erased { try online.deleteUser(user) }
        var state = RecommendServingState(online: online, version: version, appliedThrough: through.sequence)
        let replay = events.filter { $0.sequence > through.sequence && !erased.contains($0.user) }
        let skipped = try state.apply(replay, settings: settings)
        return (state, replay.count - skipped, skipped)
    }

    /// Folds `events` (stored, in sequence order) in; events the deployment
    /// no longer accepts (a type removed from the weights, a rating outside
    /// the scale) are skipped and counted.
    mutating func apply(_ events: [RecommendEventRecord], settings: RecommendSettings) throws -> Int {
        var accepted: [InteractionEvent] = []
        var skipped = 0
        for e in events {
            let event = InteractionEvent(user: e.user, item: e.item, type: e.type, value: Float(e.value), time: e.time)
            if Self.check(event, model: online.model, settings: settings) != nil {
                skipped += 1
            } else {
                accepted.append(event)
            }
        }
        if !accepted.isEmpty { try online.record(accepted) }
        if let last = events.last { appliedThrough = Swift.max(appliedThrough, last.sequence) }
        return skipped
    }

    /// Why the deployment refuses `event` for `model` (nil: accepted).
    static func check(_ event: InteractionEvent, model: RecommenderModel, settings: RecommendSettings) -> (field: String, reason: String)? {
        if event.type.hasPrefix("_") { return ("type", "unknown event type \"\(event.type)\"") }
        guard event.value.isFinite else { return ("value", "must be a finite number") }
        guard event.time.isFinite else { return ("time", "must be a finite number") }
        switch model.feedback {
        case .explicit:
            guard event.type == settings.eventWeights.ratingType else {
                return (
                    "type", "this deployment's model learns from \"\(settings.eventWeights.ratingType)\" events only, not \"\(event.type)\""
                )
            }
            if let scale = model.ratingScale, !scale.contains(event.value) {
                return ("value", "rating \(event.value) is outside the model's scale \(scale.lower)…\(scale.upper)")
            }
        case .implicit:
            guard settings.eventWeights.weights[event.type] != nil else {
                let known = settings.eventWeights.weights.keys.sorted().joined(separator: ", ")
                return ("type", "unknown event type \"\(event.type)\" (this deployment accepts \(known))")
            }
        }
        return nil
    }
}
