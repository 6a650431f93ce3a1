import FinchSupport
import FinchTensor

/// Settings of `HybridTrainer.build`.
public struct HybridTrainingOptions: Sendable, Equatable {
    /// Latest events per user held out to fit the blend (5).
    public var validationLast = 5
    /// Top collaborative candidates per validation user the blend learns to re-rank (100).
    public var candidates = 100
    /// Recency half-life of text profiles in seconds (nil: no decay).
    public var halfLife: Double? = nil
    /// L2 penalty of the logistic blend (0.01).
    public var l2 = 1e-2
    /// What counts as a positive event.
    public var eventWeights = EventWeights()

    /// The defaults.
    public init() {}
}

/// A hybrid recommender ready to serve or evaluate: the collaborative model
/// fitted on all the data, the items' text embeddings, popularity counts and
/// the learnt blend.
public struct HybridModel: Sendable {
    /// The collaborative model (fitted on every rating given to `build`).
    public var model: RecommenderModel
    /// Text embeddings by the model's item index.
    public var embeddings: ItemTextEmbeddings
    /// Events per item (by item index) in the data the model was fitted on.
    public var popularity: [Float]
    /// The blend and the profile's half-life.
    public var scorer: HybridScorer
    /// (user, item) samples the blend was fitted on, and how many were positive.
    public var sampleCount: Int, positiveCount: Int
}

/// Builds a `HybridModel`: holds out each user's latest events, fits the
/// collaborative model on the rest, computes the three features for the
/// held-out items and the model's top candidates (labels: held out or not),
/// fits the logistic blend on them, then refits the collaborative model on
/// all the data.
public enum HybridTrainer {
    /// Fits `algorithm` with `parameters` on `dataset` and the blend on a validation split.
    /// - Parameter embeddings: item id → text embedding (items without one have no text feature).
    /// - Throws: what fitting the algorithm throws; `RecommendError.invalidSplit`
    ///   when no user has more than `validationLast` events.
    public static func build(
        _ dataset: RatingDataset, algorithm: Algorithm, parameters: [String: String] = [:], embeddings: [String: [Float]],
        options: HybridTrainingOptions = HybridTrainingOptions(), observer: TrainingObserver? = nil
    ) throws -> HybridModel {
        let split = try LatestEvents.split(dataset, last: options.validationLast)
        let text = try ItemTextEmbeddings(embeddings, items: dataset.items)
        var validationModel = try algorithm.makeRecommender(parameters: parameters)
        try validationModel.fit(dataset.matrix(selecting: split.train), observer: nil)
        let wrapped = RecommenderModel(
            recommender: validationModel, users: dataset.users, items: dataset.items, feedback: dataset.feedback,
            ratingScale: dataset.ratingScale)
        let sample = samples(
            dataset, split: split, model: wrapped, embeddings: text, candidates: options.candidates, halfLife: options.halfLife,
            eventWeights: options.eventWeights)
        let weights = fitBlend(sample.features, labels: sample.labels, l2: options.l2)
        let full = try RecommenderModel.train(dataset, algorithm: algorithm, parameters: parameters, observer: observer)
        return HybridModel(
            model: full, embeddings: text, popularity: itemCounts(dataset, positions: Array(0..<dataset.count)),
            scorer: HybridScorer(weights: weights, halfLife: options.halfLife, candidateDepth: options.candidates),
            sampleCount: sample.labels.count,
            positiveCount: sample.labels.reduce(0) { $0 + ($1 > 0 ? 1 : 0) })
    }

    /// Events per item over `positions`.
    static func itemCounts(_ dataset: RatingDataset, positions: [Int]) -> [Float] {
        var counts = [Float](repeating: 0, count: dataset.items.count)
        for p in positions { counts[Int(dataset.itemIndices[p])] += 1 }
        return counts
    }

    /// The user's history at `positions`, as entries with times.
    static func histories(_ dataset: RatingDataset, positions: [Int]) -> [[HistoryEntry]] {
        var out = [[HistoryEntry]](repeating: [], count: dataset.users.count)
        for p in positions {
            out[Int(dataset.userIndices[p])].append(
                HistoryEntry(item: Int(dataset.itemIndices[p]), value: dataset.values[p], time: dataset.timestamps?[p] ?? Double(p)))
        }
        return out
    }

    /// Feature rows (collaborative, text, popularity) and labels for every
    /// validation user: their held-out items known to the model (label 1) and
    /// the model's top `candidates` unseen items (label 0 unless held out).
    static func samples(
        _ dataset: RatingDataset, split: DataSplit, model: RecommenderModel, embeddings: ItemTextEmbeddings, candidates: Int,
        halfLife: Double?, eventWeights: EventWeights
    ) -> (features: [Float], labels: [Float]) {
        let data = model.recommender.trainingData
        let history = histories(dataset, positions: split.train)
        var heldOut = [[Int]](repeating: [], count: dataset.users.count)
        for p in split.test where eventWeights.isPositive(dataset.values[p], feedback: dataset.feedback) {
            heldOut[Int(dataset.userIndices[p])].append(Int(dataset.itemIndices[p]))
        }
        let popularity = HybridScorer.popularityFeature(itemCounts(dataset, positions: split.train))
        let scorer = HybridScorer(weights: .collaborativeOnly, halfLife: halfLife)
        var features: [Float] = [], labels: [Float] = []
        for u in 0..<dataset.users.count where !heldOut[u].isEmpty && data.knowsUser(u) {
            let columns = scorer.features(
                model: model, user: u, history: history[u], embeddings: embeddings, popularity: popularity,
                isPositive: { eventWeights.isPositive($0, feedback: dataset.feedback) })
            let positives = Set(heldOut[u].filter { data.knowsItem($0) })
            if positives.isEmpty { continue }
            let top = model.recommender.recommend(user: u, count: candidates, excludeSeen: true).map(\.item)
            for i in Set(top).union(positives).sorted() {
                features.append(contentsOf: [columns.collaborative[i], columns.text[i], columns.popularity[i]])
                labels.append(positives.contains(i) ? 1 : 0)
            }
        }
        return (features, labels)
    }

    /// Standardizes the three columns and fits the logistic blend on them.
    static func fitBlend(_ features: [Float], labels: [Float], l2: Double) -> HybridWeights {
        let n = labels.count
        guard n > 0 else { return .collaborativeOnly }
        var means = [Double](repeating: 0, count: 3), scales = [Double](repeating: 0, count: 3)
        for s in 0..<n { for f in 0..<3 { means[f] += Double(features[s * 3 + f]) } }
        for f in 0..<3 { means[f] /= Double(n) }
        for s in 0..<n {
            for f in 0..<3 {
                let d = Double(features[s * 3 + f]) - means[f]
                scales[f] += d * d
            }
        }
        for f in 0..<3 { scales[f] = (scales[f] / Double(n)).squareRoot() }
        for f in 0..<3 where scales[f] < 1e-12 { scales[f] = 1 }
        var standardized = [Double](repeating: 0, count: n * 3)
        for s in 0..<n { for f in 0..<3 { standardized[s * 3 + f] = (Double(features[s * 3 + f]) - means[f]) / scales[f] } }
        let fit = LogisticBlend.fit(features: standardized, labels: labels.map(Double.init), width: 3, l2: l2)
        return HybridWeights(
            weights: fit.weights.map(Float.init), intercept: Float(fit.intercept), means: means.map(Float.init),
            scales: scales.map(Float.init))
    }
}

/// Per-user time-based hold-out that works with or without timestamps.
enum LatestEvents {
    /// Per user with more than `last` events, the `last` latest (by timestamp,
    /// ties and files without timestamps by position) go to `test`.
    static func split(_ dataset: RatingDataset, last: Int) throws -> DataSplit {
        guard last >= 1 else { throw RecommendError.invalidSplit(reason: "the number of held-out events must be at least 1") }
        var byUser = [[Int]](repeating: [], count: dataset.users.count)
        for p in 0..<dataset.count { byUser[Int(dataset.userIndices[p])].append(p) }
        let time: (Int) -> Double = { p in dataset.timestamps?[p] ?? 0 }
        var train: [Int] = [], test: [Int] = []
        for positions in byUser {
            let ordered = positions.sorted { (time($0), $0) < (time($1), $1) }
            if ordered.count > last {
                train.append(contentsOf: ordered.dropLast(last))
                test.append(contentsOf: ordered.suffix(last))
            } else {
                train.append(contentsOf: ordered)
            }
        }
        guard !test.isEmpty else { throw RecommendError.invalidSplit(reason: "no user has more than \(last) events") }
        return DataSplit(train: train.sorted(), test: test.sorted())
    }
}
