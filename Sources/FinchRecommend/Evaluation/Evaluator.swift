/// Which metrics an evaluation computes.
public enum MetricKind: Sendable, Equatable {
    /// RMSE and MAE of clipped predictions on the test ratings.
    case rating
    /// precision/recall/NDCG/MAP/hit rate@k and coverage of top-k lists.
    case ranking(k: Int)
}

/// The result on one split.
public struct FoldReport: Sendable, Equatable, Codable {
    /// 1-based fold number.
    public var fold: Int
    /// Training ratings.
    public var trainCount: Int
    /// Test ratings.
    public var testCount: Int
    /// Seconds to fit.
    public var fitSeconds: Double
    /// Seconds to predict or rank the test set.
    public var testSeconds: Double
    /// Rating metrics (`.rating`).
    public var rating: RatingAccuracy?
    /// Ranking metrics (`.ranking`).
    public var ranking: RankingAccuracy?
}

/// The result over all splits.
public struct EvaluationReport: Sendable, Equatable {
    /// The algorithm.
    public var algorithm: Algorithm
    /// Its complete hyperparameters.
    public var parameters: [String: String]
    /// One report per split.
    public var folds: [FoldReport]

    /// Mean RMSE/MAE over the folds (nil for ranking evaluations).
    public var meanRating: RatingAccuracy? {
        let r = folds.compactMap(\.rating)
        guard !r.isEmpty else { return nil }
        return RatingAccuracy(
            rmse: r.map(\.rmse).reduce(0, +) / Double(r.count), mae: r.map(\.mae).reduce(0, +) / Double(r.count),
            count: r.map(\.count).reduce(0, +))
    }

    /// Mean ranking metrics over the folds (nil for rating evaluations).
    public var meanRanking: RankingAccuracy? {
        let r = folds.compactMap(\.ranking)
        guard let first = r.first else { return nil }
        func mean(_ f: (RankingAccuracy) -> Double) -> Double { r.map(f).reduce(0, +) / Double(r.count) }
        var m = first
        m.precision = mean(\.precision)
        m.recall = mean(\.recall)
        m.ndcg = mean(\.ndcg)
        m.map = mean(\.map)
        m.hitRate = mean(\.hitRate)
        m.coverage = mean(\.coverage)
        m.userCount = r.map(\.userCount).reduce(0, +) / r.count
        return m
    }

    /// Mean fit seconds per fold.
    public var meanFitSeconds: Double { folds.map(\.fitSeconds).reduce(0, +) / Double(Swift.max(folds.count, 1)) }
    /// Mean test seconds per fold.
    public var meanTestSeconds: Double { folds.map(\.testSeconds).reduce(0, +) / Double(Swift.max(folds.count, 1)) }
}

/// Offline evaluation: split, fit on each training part, score each test part.
public enum Evaluator {
    /// Evaluates `algorithm` with `parameters` on `dataset`.
    ///
    /// Rating metrics predict every test pair (an unknown user or item falls
    /// back as `RecommenderModel.predict` does) and clip to the rating scale.
    /// Ranking metrics recommend `k` items to every test user known in
    /// training, excluding their training items and items absent from
    /// training, and compare with their test items.
    /// - Parameter foldObserver: hears after each fold (1-based, count).
    public static func evaluate(
        _ dataset: RatingDataset, algorithm: Algorithm, parameters: [String: String] = [:], splits: [DataSplit],
        metrics: MetricKind, foldObserver: ((Int, Int) -> Void)? = nil
    ) throws -> EvaluationReport {
        let template = try algorithm.makeRecommender(parameters: parameters)
        var reports: [FoldReport] = []
        for (f, split) in splits.enumerated() {
            var model = template
            let train = dataset.matrix(selecting: split.train)
            let fitStart = ContinuousClock.now
            try model.fit(train, observer: nil)
            let fitSeconds = fitStart.secondsSince
            let testStart = ContinuousClock.now
            var report = FoldReport(
                fold: f + 1, trainCount: split.train.count, testCount: split.test.count, fitSeconds: fitSeconds, testSeconds: 0)
            switch metrics {
            case .rating:
                report.rating = ratingAccuracy(model, dataset: dataset, test: split.test)
            case .ranking(let k):
                report.ranking = rankingAccuracy(model, dataset: dataset, test: split.test, k: k)
            }
            report.testSeconds = testStart.secondsSince
            reports.append(report)
            foldObserver?(f + 1, splits.count)
        }
        return EvaluationReport(algorithm: algorithm, parameters: template.parameters, folds: reports)
    }

    /// RMSE/MAE of a fitted model on the test positions.
    public static func ratingAccuracy(_ model: any Recommender, dataset: RatingDataset, test: [Int]) -> RatingAccuracy {
        let scale = dataset.feedback == .explicit ? dataset.ratingScale : nil
        let mean = model.trainingData.globalMean
        var predicted = [Float](), actual = [Float]()
        predicted.reserveCapacity(test.count)
        actual.reserveCapacity(test.count)
        for p in test {
            let estimate = model.estimate(user: Int(dataset.userIndices[p]), item: Int(dataset.itemIndices[p]))
            predicted.append(RecommenderModel.prediction(estimate, mean: mean, scale: scale).value)
            actual.append(dataset.values[p])
        }
        return RatingAccuracy(predicted: predicted, actual: actual)
    }

    /// Ranking metrics of a fitted model on the test positions.
    public static func rankingAccuracy(_ model: any Recommender, dataset: RatingDataset, test: [Int], k: Int) -> RankingAccuracy {
        let data = model.trainingData
        var relevant = [[Int]](repeating: [], count: data.userCount)
        for p in test { relevant[Int(dataset.userIndices[p])].append(Int(dataset.itemIndices[p])) }
        var lists = [[Int]?](repeating: nil, count: data.userCount)
        for u in 0..<data.userCount where !relevant[u].isEmpty && data.knowsUser(u) {
            lists[u] = model.recommend(user: u, count: k).map(\.item)
        }
        let catalogue = (0..<data.itemCount).reduce(0) { $0 + (data.knowsItem($1) ? 1 : 0) }
        return RankingAccuracy(relevant: relevant, recommendations: lists, k: k, catalogueSize: catalogue)
    }
}
