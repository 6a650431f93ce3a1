import FinchRecommend
import Foundation

/// The pure part of a guarded recommender retrain: which stored events train
/// and which are held out, the old and new versions' figures on the
/// hold-out, and the guard's verdict.
public enum RecommendRetraining {
    /// How the two versions compare on the hold-out.
    public struct Comparison: Sendable, Equatable {
        /// Figures of the old version (with the training part's new events folded in, as serving had them).
        public var old: [String: Double]
        /// Figures of the new version (trained on the training part).
        public var new: [String: Double]
        /// Whether the new version may be activated.
        public var passed: Bool
        /// Why.
        public var reason: String
        /// Held-out events.
        public var heldOut: Int
    }

    /// The dataset of `events` (their learnt values; implicit repeats add up, an explicit repeat keeps the last rating).
    public static func dataset(
        _ events: [RecommendEventRecord], feedback: FinchRecommend.FeedbackKind, ratingScale: RatingScale?, weights: EventWeights
    ) throws -> RatingDataset {
        var ratings: [(user: String, item: String, value: Float)] = []
        var times: [Double] = []
        ratings.reserveCapacity(events.count)
        for e in events {
            let event = InteractionEvent(user: e.user, item: e.item, type: e.type, value: Float(e.value), time: e.time)
            ratings.append((e.user, e.item, try weights.value(of: event, feedback: feedback)))
            times.append(e.time)
        }
        return RatingDataset(ratings: ratings, timestamps: times, feedback: feedback, ratingScale: ratingScale)
    }

    /// Positions of the hold-out: per user, their latest `last` events (by
    /// time, then sequence) among those after `through` (which the old
    /// version never trained on), when the user has more than `last` events.
    public static func holdout(_ events: [RecommendEventRecord], after through: Int64, last: Int) -> Set<Int> {
        var byUser: [String: [Int]] = [:]
        for (n, e) in events.enumerated() { byUser[e.user, default: []].append(n) }
        var held = Set<Int>()
        for positions in byUser.values where positions.count > last {
            let fresh = positions.filter { events[$0].sequence > through }
                .sorted { (events[$0].time, events[$0].sequence) < (events[$1].time, events[$1].sequence) }
            held.formUnion(fresh.suffix(last))
        }
        return held
    }

    /// Evaluates `old` (trained through sequence `through`) and a new model of
    /// the same algorithm and hyperparameters on the hold-out of `events`:
    /// RMSE for explicit feedback, NDCG@10 and recall@10 for implicit. The
    /// guard passes when the new version is worse by at most `margin`
    /// (relative): RMSE_new ≤ RMSE_old·(1 + margin), NDCG_new ≥ NDCG_old·(1 − margin).
    /// - Throws: `RecommendError.invalidSplit` when there is nothing to hold out.
    public static func compare(
        old: RecommenderModel, through: Int64, events: [RecommendEventRecord], settings: RecommendSettings
    ) throws -> Comparison {
        let held = holdout(events, after: through, last: settings.holdoutLast)
        guard !held.isEmpty else {
            throw RecommendError.invalidSplit(
                reason: "no user has more than \(settings.holdoutLast) events including new ones since the old version; nothing to hold out"
            )
        }
        let train = events.indices.filter { !held.contains($0) }.map { events[$0] }
        let test = held.sorted().map { events[$0] }
        let weights = settings.eventWeights
        let trainData = try dataset(train, feedback: old.feedback, ratingScale: old.ratingScale, weights: weights)
        let candidate = try RecommenderModel.train(trainData, algorithm: old.algorithm, parameters: old.recommender.parameters)
        var previous = old
        let fresh = train.filter { $0.sequence > through }
        if !fresh.isEmpty {
            _ = try previous.foldIn(try dataset(fresh, feedback: old.feedback, ratingScale: old.ratingScale, weights: weights))
        }
        let oldFigures: [String: Double], newFigures: [String: Double]
        let passed: Bool
        let reason: String
        let margin = settings.retrainMargin
        switch old.feedback {
        case .explicit:
            let o = rmse(previous, test), n = rmse(candidate, test)
            oldFigures = ["rmse": o]
            newFigures = ["rmse": n]
            passed = n <= o * (1 + margin)
            reason =
                passed
                ? String(format: "RMSE %.4f is within %.0f%% of the old version's %.4f", n, margin * 100, o)
                : String(format: "RMSE %.4f is worse than the old version's %.4f by more than %.0f%%", n, o, margin * 100)
        case .implicit:
            var seen: [String: Set<String>] = [:]
            for e in train { seen[e.user, default: []].insert(e.item) }
            let o = ranking(previous, test, seen: seen), n = ranking(candidate, test, seen: seen)
            oldFigures = ["ndcg_at_10": o.ndcg, "recall_at_10": o.recall]
            newFigures = ["ndcg_at_10": n.ndcg, "recall_at_10": n.recall]
            passed = n.ndcg >= o.ndcg * (1 - margin)
            reason =
                passed
                ? String(format: "NDCG@10 %.4f is within %.0f%% of the old version's %.4f", n.ndcg, margin * 100, o.ndcg)
                : String(format: "NDCG@10 %.4f is worse than the old version's %.4f by more than %.0f%%", n.ndcg, o.ndcg, margin * 100)
        }
        return Comparison(old: oldFigures, new: newFigures, passed: passed, reason: reason, heldOut: test.count)
    }

    /// Root mean squared error of `model`'s predictions (clipped to its scale) on `test`.
    static func rmse(_ model: RecommenderModel, _ test: [RecommendEventRecord]) -> Double {
        var sum = 0.0
        for e in test {
            let d = Double(model.predict(user: e.user, item: e.item).value) - e.value
            sum += d * d
        }
        return (sum / Double(Swift.max(test.count, 1))).squareRoot()
    }

    /// Mean NDCG@10 and recall@10 over the test users: each ranks every item
    /// but those in their training events; the held-out items are relevant.
    static func ranking(_ model: RecommenderModel, _ test: [RecommendEventRecord], seen: [String: Set<String>]) -> (
        ndcg: Double, recall: Double
    ) {
        let k = 10
        var relevant: [String: Set<String>] = [:]
        for e in test { relevant[e.user, default: []].insert(e.item) }
        var ndcg = 0.0, recall = 0.0
        for (user, items) in relevant {
            let excluded = seen[user] ?? []
            var list: [String] = []
            if let u = model.users.index(of: user), model.recommender.trainingData.knowsUser(u) {
                let ranked = model.recommender.recommend(
                    user: u, count: k + excluded.count, excludeSeen: false, unratedAllowed: model.coldStartItems)
                list = ranked.map { model.items[$0.item] }.filter { !excluded.contains($0) }.prefix(k).map { $0 }
            }
            var dcg = 0.0, hits = 0
            for (r, item) in list.enumerated() where items.contains(item) {
                dcg += 1 / log2(Double(r + 2))
                hits += 1
            }
            let ideal = (0..<Swift.min(items.count, k)).reduce(0.0) { $0 + 1 / log2(Double($1 + 2)) }
            ndcg += ideal > 0 ? dcg / ideal : 0
            recall += Double(hits) / Double(items.count)
        }
        let users = Double(Swift.max(relevant.count, 1))
        return (ndcg / users, recall / users)
    }
}
