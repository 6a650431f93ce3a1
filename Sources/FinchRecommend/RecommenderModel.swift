/// A predicted rating for one (user, item) pair.
public struct Prediction: Sendable, Equatable {
    /// The estimate, clipped to the rating scale for explicit feedback.
    public var value: Float
    /// The estimate before clipping.
    public var unclipped: Float
    /// True when the model could not estimate and the global mean was used
    /// (Surprise's `was_impossible`).
    public var isFallback: Bool
}

/// A user's rated item named as a reason for a recommendation.
public struct Reason: Sendable, Equatable {
    /// External id of the rated item.
    public var item: String
    /// Its weight (see `Contribution.weight`).
    public var weight: Float
}

/// One entry of a top-k list, with external ids.
public struct Recommendation: Sendable, Equatable {
    /// External item id.
    public var item: String
    /// Ranking score.
    public var score: Float
    /// 1-based rank.
    public var rank: Int
    /// Reasons, strongest first (empty unless requested).
    public var reasons: [Reason]
}

/// What a fold-in changed.
public struct FoldInSummary: Sendable, Equatable, Codable {
    /// Ratings read from the new file.
    public var ratings: Int
    /// Users that did not exist before.
    public var newUsers: Int
    /// Existing users re-solved.
    public var updatedUsers: Int
    /// Items that had no ratings before.
    public var newItems: Int
    /// Existing items re-solved (only with `refitExistingItems`).
    public var updatedItems: Int

    enum CodingKeys: String, CodingKey {
        case ratings, newUsers = "new_users", updatedUsers = "updated_users", newItems = "new_items"
        case updatedItems = "updated_items"
    }
}

/// A fitted recommender together with its id maps, feedback kind and rating
/// scale: the object the CLI and the server work with, by external ids.
public struct RecommenderModel: Sendable {
    /// The algorithm and its learnt state.
    public internal(set) var recommender: any Recommender
    /// User ids.
    public internal(set) var users: IDMap
    /// Item ids.
    public internal(set) var items: IDMap
    /// Explicit ratings or implicit weights.
    public let feedback: FeedbackKind
    /// The scale predictions are clipped to (explicit feedback).
    public let ratingScale: RatingScale?
    /// Items added from content features, which have no ratings yet.
    public internal(set) var coldStartItems: Set<Int> = []

    /// Wraps a fitted recommender.
    public init(recommender: any Recommender, users: IDMap, items: IDMap, feedback: FeedbackKind, ratingScale: RatingScale?) {
        self.recommender = recommender
        self.users = users
        self.items = items
        self.feedback = feedback
        self.ratingScale = ratingScale
    }

    /// Fits `algorithm` with `parameters` on all of `dataset`.
    public static func train(
        _ dataset: RatingDataset, algorithm: Algorithm, parameters: [String: String] = [:], observer: TrainingObserver? = nil
    ) throws -> RecommenderModel {
        var recommender = try algorithm.makeRecommender(parameters: parameters)
        try recommender.fit(dataset.matrix(), observer: observer)
        return RecommenderModel(
            recommender: recommender, users: dataset.users, items: dataset.items, feedback: dataset.feedback,
            ratingScale: dataset.ratingScale)
    }

    /// The algorithm.
    public var algorithm: Algorithm { recommender.algorithm }

    /// The prediction for (`user`, `item`); unknown ids fall back like
    /// Surprise (global mean plus the known biases, or the global mean).
    public func predict(user: String, item: String) -> Prediction {
        let data = recommender.trainingData
        let u = users.index(of: user) ?? -1
        let i = items.index(of: item) ?? -1
        return Self.prediction(
            recommender.estimate(user: u, item: i), mean: data.globalMean, scale: feedback == .explicit ? ratingScale : nil)
    }

    static func prediction(_ estimate: Float?, mean: Float, scale: RatingScale?) -> Prediction {
        let raw = estimate ?? mean
        return Prediction(value: scale?.clip(raw) ?? raw, unclipped: raw, isFallback: estimate == nil)
    }

    /// The top `count` items for `user`, excluding what they rated (ranked by
    /// the model's score; for explicit feedback the score shown is clipped to
    /// the rating scale, like a prediction); with
    /// `reasons > 0`, each item carries that many of the user's rated items
    /// that contributed most.
    /// - Throws: `RecommendError.unknownUser` for a user without ratings.
    public func recommend(user: String, count: Int, reasons: Int = 0) throws -> [Recommendation] {
        guard let u = users.index(of: user), recommender.trainingData.knowsUser(u) else {
            throw RecommendError.unknownUser(user)
        }
        let top = recommender.recommend(user: u, count: count, excludeSeen: true, unratedAllowed: coldStartItems)
        return top.enumerated().map { rank, entry in
            let why =
                reasons > 0
                ? recommender.contributions(user: u, item: entry.item).prefix(reasons).map {
                    Reason(item: items[$0.item], weight: $0.weight)
                } : []
            let score = feedback == .explicit ? ratingScale?.clip(entry.score) ?? entry.score : entry.score
            return Recommendation(item: items[entry.item], score: score, rank: rank + 1, reasons: why)
        }
    }

    /// The user's rated items that support `item`, strongest first.
    /// - Throws: `RecommendError.unknownUser` / `.unknownItem`.
    public func explain(user: String, item: String, count: Int) throws -> [Reason] {
        guard let u = users.index(of: user), recommender.trainingData.knowsUser(u) else { throw RecommendError.unknownUser(user) }
        guard let i = items.index(of: item) else { throw RecommendError.unknownItem(item) }
        return recommender.contributions(user: u, item: i).prefix(count).map { Reason(item: items[$0.item], weight: $0.weight) }
    }

    /// The `count` items most similar to `item`.
    /// - Throws: `RecommendError.unknownItem` for an item without ratings (or content).
    public func similarItems(to item: String, count: Int) throws -> [Recommendation] {
        guard let i = items.index(of: item), recommender.trainingData.knowsItem(i) || coldStartItems.contains(i) else {
            throw RecommendError.unknownItem(item)
        }
        return recommender.similarItems(to: i, count: count, unratedAllowed: coldStartItems).enumerated().map {
            Recommendation(item: items[$1.item], score: $1.score, rank: $0 + 1, reasons: [])
        }
    }

    /// Folds the ratings of `dataset` into the model without retraining: its
    /// ratings are merged into the training data (a pair already present takes
    /// the new value for explicit feedback, adds for implicit), every user in
    /// it is re-solved against the fixed items, then every item that had no
    /// ratings before (and, with `refitExistingItems`, every item in the file)
    /// against the users.
    /// - Throws: `RecommendError.ratingOutsideScale` for an explicit rating
    ///   outside the model's scale (nothing is changed then);
    ///   `RecommendError.diverged` when the re-solved rows are not finite
    ///   (the model must then be discarded, not saved).
    public mutating func foldIn(_ dataset: RatingDataset, refitExistingItems: Bool = false) throws -> FoldInSummary {
        if feedback == .explicit, let scale = ratingScale,
            let n = dataset.values.firstIndex(where: { !scale.contains($0) })
        {
            throw RecommendError.ratingOutsideScale(
                user: dataset.users[Int(dataset.userIndices[n])], item: dataset.items[Int(dataset.itemIndices[n])],
                rating: dataset.values[n], scale: scale)
        }
        let old = recommender.trainingData
        var summary = FoldInSummary(ratings: dataset.count, newUsers: 0, updatedUsers: 0, newItems: 0, updatedItems: 0)
        var userMap = [Int](), itemMap = [Int]()
        for id in dataset.users.ids {
            let (index, inserted) = users.insert(id)
            userMap.append(index)
            if inserted || !old.knowsUser(index) { summary.newUsers += 1 } else { summary.updatedUsers += 1 }
        }
        var itemsToSolve: [Int] = []
        for id in dataset.items.ids {
            let index = items.insert(id).index
            itemMap.append(index)
            if !old.knowsItem(index) {
                summary.newItems += 1
                itemsToSolve.append(index)
            } else if refitExistingItems {
                summary.updatedItems += 1
                itemsToSolve.append(index)
            }
        }
        // Merge: replace (explicit) or add to (implicit) the stored values; new pairs are appended.
        let merged = old.merging(
            users: dataset.userIndices.map { Int32(userMap[Int($0)]) }, items: dataset.itemIndices.map { Int32(itemMap[Int($0)]) },
            values: dataset.values, userCount: users.count, itemCount: items.count,
            combine: feedback == .implicit ? { $0 + $1 } : { $1 })
        try recommender.foldIn(merged, users: userMap, items: itemsToSolve)
        try recommender.checkFinite(epoch: 1, likelyCause: "the fold-in diverged; " + DivergenceCause.extremeValues)
        for i in itemsToSolve { coldStartItems.remove(i) }
        return summary
    }
}
