import FinchSupport

/// Ranking metrics of the collaborative model alone, the hybrid and
/// popularity, measured in one run on the same hold-out.
public struct HybridComparison: Sendable {
    /// The collaborative model's top-k.
    public var collaborative: RankingAccuracy
    /// The hybrid's top-k.
    public var hybrid: RankingAccuracy
    /// Most events first.
    public var popularity: RankingAccuracy
    /// The learnt blend.
    public var weights: HybridWeights
    /// Training and test events.
    public var trainCount: Int, testCount: Int
}

/// Offline comparison of a hybrid with its parts.
public enum HybridEvaluation {
    /// Holds out each user's `testLast` latest events, builds the hybrid on the
    /// rest (which holds out its own validation events to fit the blend), and
    /// ranks `k` unseen items known to the training data for every test user
    /// with the three rankers.
    public static func compare(
        _ dataset: RatingDataset, algorithm: Algorithm, parameters: [String: String] = [:], embeddings: [String: [Float]],
        testLast: Int = 5, k: Int = 10, options: HybridTrainingOptions = HybridTrainingOptions()
    ) throws -> HybridComparison {
        let split = try LatestEvents.split(dataset, last: testLast)
        let train = dataset.selecting(split.train)
        let built = try HybridTrainer.build(train, algorithm: algorithm, parameters: parameters, embeddings: embeddings, options: options)
        let data = built.model.recommender.trainingData
        var relevant = [[Int]](repeating: [], count: dataset.users.count)
        for p in split.test { relevant[Int(dataset.userIndices[p])].append(Int(dataset.itemIndices[p])) }
        let history = HybridTrainer.histories(dataset, positions: split.train)
        let popularityFeature = HybridScorer.popularityFeature(built.popularity)
        var collaborativeLists = [[Int]?](repeating: nil, count: dataset.users.count)
        var hybridLists = collaborativeLists, popularLists = collaborativeLists
        let isPositive = { (v: Float) in options.eventWeights.isPositive(v, feedback: dataset.feedback) }
        for u in 0..<dataset.users.count where !relevant[u].isEmpty && data.knowsUser(u) {
            let columns = built.scorer.features(
                model: built.model, user: u, history: history[u], embeddings: built.embeddings, popularity: popularityFeature,
                isPositive: isPositive)
            var allowed = (0..<data.itemCount).map { data.knowsItem($0) }
            for n in data.byUser.range(ofRow: u) { allowed[Int(data.byUser.indices[n])] = false }
            func top(_ scores: [Float]) -> [Int] {
                var s = scores
                for i in 0..<s.count where !allowed[i] { s[i] = -.infinity }
                return s.withUnsafeBufferPointer { TopK.largest($0, count: k).map(\.index) }
            }
            collaborativeLists[u] = top(columns.collaborative)
            hybridLists[u] = built.scorer.rank(columns, allowed: allowed, count: k).map(\.index)
            popularLists[u] = top(built.popularity)
        }
        let catalogue = (0..<data.itemCount).reduce(0) { $0 + (data.knowsItem($1) ? 1 : 0) }
        return HybridComparison(
            collaborative: RankingAccuracy(relevant: relevant, recommendations: collaborativeLists, k: k, catalogueSize: catalogue),
            hybrid: RankingAccuracy(relevant: relevant, recommendations: hybridLists, k: k, catalogueSize: catalogue),
            popularity: RankingAccuracy(relevant: relevant, recommendations: popularLists, k: k, catalogueSize: catalogue),
            weights: built.scorer.weights, trainCount: split.train.count, testCount: split.test.count)
    }
}

extension RatingDataset {
    /// The ratings at `positions` (in that order) with the same id maps.
    public func selecting(_ positions: [Int]) -> RatingDataset {
        RatingDataset(
            users: users, items: items, userIndices: positions.map { userIndices[$0] }, itemIndices: positions.map { itemIndices[$0] },
            values: positions.map { values[$0] }, timestamps: timestamps.map { t in positions.map { t[$0] } }, feedback: feedback,
            ratingScale: ratingScale, report: report)
    }
}
