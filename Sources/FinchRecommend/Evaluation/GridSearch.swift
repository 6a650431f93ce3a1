/// What a grid search minimizes or maximizes.
public enum SearchObjective: String, Sendable, CaseIterable {
    /// Lowest mean RMSE.
    case rmse
    /// Lowest mean MAE.
    case mae
    /// Highest mean NDCG@k.
    case ndcg
    /// Highest mean precision@k.
    case precision
    /// Highest mean MAP@k.
    case map

    func score(_ report: EvaluationReport) -> Double? {
        switch self {
        case .rmse: return report.meanRating.map { -$0.rmse }
        case .mae: return report.meanRating.map { -$0.mae }
        case .ndcg: return report.meanRanking?.ndcg
        case .precision: return report.meanRanking?.precision
        case .map: return report.meanRanking?.map
        }
    }
}

/// The outcome of a grid search.
public struct GridSearchResult: Sendable {
    /// One evaluation per parameter combination, in grid order.
    public var reports: [EvaluationReport]
    /// Index of the best report by the objective.
    public var bestIndex: Int
    /// The best report.
    public var best: EvaluationReport { reports[bestIndex] }
}

/// Exhaustive search over hyperparameter combinations, each scored by the
/// same splits (Surprise's `GridSearchCV`).
public enum GridSearch {
    /// Every combination of `grid` (name → candidate values), keys in sorted
    /// order, the last key varying fastest.
    public static func combinations(_ grid: [String: [String]]) -> [[String: String]] {
        var result: [[String: String]] = [[:]]
        for key in grid.keys.sorted() {
            let values = grid[key]!
            result = result.flatMap { partial in
                values.map { value in
                    var p = partial
                    p[key] = value
                    return p
                }
            }
        }
        return result
    }

    /// Evaluates every combination of `grid` over `base` parameters on the
    /// same `splits` and picks the best by `objective`.
    /// - Throws: `RecommendError.invalidSplit` when the objective does not
    ///   match the metrics, or any hyperparameter error.
    public static func run(
        _ dataset: RatingDataset, algorithm: Algorithm, base: [String: String] = [:], grid: [String: [String]],
        splits: [DataSplit], metrics: MetricKind, objective: SearchObjective
    ) throws -> GridSearchResult {
        var reports: [EvaluationReport] = []
        var best = 0
        var bestScore = -Double.infinity
        for combination in combinations(grid) {
            let parameters = base.merging(combination) { $1 }
            let report = try Evaluator.evaluate(dataset, algorithm: algorithm, parameters: parameters, splits: splits, metrics: metrics)
            guard let score = objective.score(report) else {
                throw RecommendError.invalidSplit(reason: "objective \(objective.rawValue) does not match the metrics evaluated")
            }
            if score > bestScore {
                bestScore = score
                best = reports.count
            }
            reports.append(report)
        }
        return GridSearchResult(reports: reports, bestIndex: best)
    }
}
