import ArgumentParser
import FinchRecommend
import Foundation

/// `finch recommend evaluate`: cross-validation, splits and grid search.
struct RecommendEvaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Cross-validate an algorithm: RMSE/MAE, or ranking metrics, per fold and on average.",
        discussion: """
            Rating metrics (explicit data, the default there): RMSE and MAE of predictions clipped to the \
            rating scale. Ranking metrics (--metrics ranking, the default for implicit data): precision@k, \
            recall@k, NDCG@k, MAP@k, hit rate and catalogue coverage as Microsoft's recommenders defines \
            them, recommending k unseen items to every test user. --grid name=v1,v2 (repeatable) runs a grid \
            search over every combination with the same folds and reports the best.
            """
    )

    @OptionGroup var input: RatingsFileOptions
    @Option(help: "Algorithm: baseline, popular, svd, svdpp, als, bpr, itemknn.") var algorithm: String
    @Option(help: "Number of folds for --split kfold.") var folds = 5
    @Option(help: "kfold, random (one split, --test-fraction) or leave-last (per user, by timestamp).") var split: SplitChoice = .kfold
    @Option(name: .customLong("test-fraction"), help: "Test share for --split random.") var testFraction = 0.2
    @Option(name: .customLong("leave-last"), help: "Ratings per user held out by --split leave-last.") var leaveLast = 1
    @Option(help: "Seed for the split and the model initialization.") var seed: UInt64 = 0
    @Option(help: "rating (RMSE, MAE) or ranking (precision/recall/NDCG/MAP@k, hit rate, coverage).") var metrics: MetricsChoice?
    @Option(name: .customLong("k"), help: "Cut-off for ranking metrics.") var k = 10
    @OptionGroup var hyperparameters: HyperparameterOptions
    @Option(help: ArgumentHelp("Grid search values as name=v1,v2; repeatable.", valueName: "name=v1,v2")) var grid: [String] = []
    @Option(help: "Grid-search objective: rmse, mae (rating) or ndcg, precision, map (ranking).") var objective: String?
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func validate() throws {
        do { _ = try Algorithm(named: algorithm) } catch { throw ValidationError("\(error)") }
        guard k >= 1 else { throw ValidationError("--k must be at least 1, got \(k)") }
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2, got \(folds)") }
        guard testFraction > 0, testFraction < 1 else {
            throw ValidationError("--test-fraction must lie strictly between 0 and 1, got \(testFraction)")
        }
        guard leaveLast >= 1 else { throw ValidationError("--leave-last must be at least 1, got \(leaveLast)") }
    }

    func run() throws {
        let algorithm = try Algorithm(named: algorithm)
        let dataset = try input.load()
        let strategy: SplitStrategy
        switch split {
        case .kfold: strategy = .kFold(folds: folds)
        case .random: strategy = .random(testFraction: testFraction)
        case .leaveLast: strategy = .leaveLastK(k: leaveLast)
        }
        let metricKind: MetricKind
        switch metrics ?? (dataset.feedback == .explicit ? .rating : .ranking) {
        case .rating: metricKind = .rating
        case .ranking: metricKind = .ranking(k: k)
        }
        let splits = try Splitter.splits(dataset, strategy: strategy, seed: seed)
        let parameters = try hyperparameters.parameters(for: algorithm, seed: seed)
        if !grid.isEmpty {
            try runGrid(dataset, algorithm: algorithm, base: parameters, splits: splits, metrics: metricKind)
            return
        }
        let start = ContinuousClock.now
        let report = try Evaluator.evaluate(dataset, algorithm: algorithm, parameters: parameters, splits: splits, metrics: metricKind) {
            done, total in if !json { RecommendTerminal.note("fold \(done)/\(total) done") }
        }
        let elapsed = ContinuousClock.now - start
        let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if json {
            try RecommendTerminal.printJSON(EvaluationJSON(report, totalSeconds: total))
        } else {
            try StandardOutput.line(EvaluationTable.render(report, dataset: dataset, totalSeconds: total))
        }
    }

    private func runGrid(
        _ dataset: RatingDataset, algorithm: Algorithm, base: [String: String], splits: [DataSplit], metrics: MetricKind
    ) throws {
        var values: [String: [String]] = [:]
        for entry in grid {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--grid expects name=v1,v2, got '\(entry)'") }
            values[String(parts[0])] = parts[1].split(separator: ",").map(String.init)
        }
        let name = objective ?? (metrics == .rating ? "rmse" : "ndcg")
        guard let goal = SearchObjective(rawValue: name) else {
            throw ValidationError("--objective must be one of \(SearchObjective.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let result = try GridSearch.run(
            dataset, algorithm: algorithm, base: base, grid: values, splits: splits, metrics: metrics, objective: goal)
        if json {
            try RecommendTerminal.printJSON(
                GridJSON(
                    objective: name, best: result.best.parameters,
                    results: result.reports.map { EvaluationJSON($0, totalSeconds: nil) }))
        } else {
            for (n, report) in result.reports.enumerated() {
                let varied = values.keys.sorted().map { "\($0)=\(report.parameters[$0] ?? "?")" }.joined(separator: " ")
                let score =
                    report.meanRating.map { String(format: "rmse %.4f mae %.4f", $0.rmse, $0.mae) }
                    ?? report.meanRanking.map {
                        String(format: "ndcg@%d %.4f precision %.4f map %.4f", $0.k, $0.ndcg, $0.precision, $0.map)
                    }
                    ?? ""
                try StandardOutput.line("\(n == result.bestIndex ? "*" : " ") \(varied)  \(score)")
            }
            try StandardOutput.line(
                "best (\(name)): " + values.keys.sorted().map { "\($0)=\(result.best.parameters[$0] ?? "?")" }.joined(separator: " "))
        }
    }
}

/// `{"rmse": x, "mae": x, "fit_seconds": x, "folds": [...]}` or the ranking metrics.
struct EvaluationJSON: Encodable {
    let report: EvaluationReport
    let totalSeconds: Double?

    init(_ report: EvaluationReport, totalSeconds: Double?) {
        self.report = report
        self.totalSeconds = totalSeconds
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func encodeMetrics(rating: RatingAccuracy?, ranking: RankingAccuracy?, into c: inout KeyedEncodingContainer<Key>) throws {
        if let r = rating {
            try c.encode(r.rmse, forKey: Key("rmse"))
            try c.encode(r.mae, forKey: Key("mae"))
        }
        if let r = ranking {
            try c.encode(r.k, forKey: Key("k"))
            try c.encode(r.precision, forKey: Key("precision_at_k"))
            try c.encode(r.recall, forKey: Key("recall_at_k"))
            try c.encode(r.ndcg, forKey: Key("ndcg_at_k"))
            try c.encode(r.map, forKey: Key("map_at_k"))
            try c.encode(r.hitRate, forKey: Key("hit_rate"))
            try c.encode(r.coverage, forKey: Key("coverage"))
            try c.encode(r.userCount, forKey: Key("users"))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(report.algorithm.rawValue, forKey: Key("algorithm"))
        try c.encode(report.parameters, forKey: Key("parameters"))
        try Self.encodeMetrics(rating: report.meanRating, ranking: report.meanRanking, into: &c)
        try c.encode(report.meanFitSeconds, forKey: Key("fit_seconds"))
        try c.encode(report.meanTestSeconds, forKey: Key("test_seconds"))
        if let totalSeconds { try c.encode(totalSeconds, forKey: Key("total_seconds")) }
        var folds = c.nestedUnkeyedContainer(forKey: Key("folds"))
        for fold in report.folds {
            var f = folds.nestedContainer(keyedBy: Key.self)
            try f.encode(fold.fold, forKey: Key("fold"))
            try f.encode(fold.trainCount, forKey: Key("train"))
            try f.encode(fold.testCount, forKey: Key("test"))
            try Self.encodeMetrics(rating: fold.rating, ranking: fold.ranking, into: &f)
            try f.encode(fold.fitSeconds, forKey: Key("fit_seconds"))
            try f.encode(fold.testSeconds, forKey: Key("test_seconds"))
        }
    }
}

/// `{"objective": ..., "best": {...}, "results": [...]}`.
struct GridJSON: Encodable {
    let objective: String
    let best: [String: String]
    let results: [EvaluationJSON]
}

/// The human-readable evaluation table.
enum EvaluationTable {
    static func render(_ report: EvaluationReport, dataset: RatingDataset, totalSeconds: Double) -> String {
        var lines = [
            "\(report.algorithm.rawValue): \(report.folds.count) split(s) of \(dataset.count) ratings "
                + "(\(dataset.users.count) users, \(dataset.items.count) items)"
        ]
        let isRating = report.meanRating != nil
        lines.append(
            isRating
                ? "fold     train     test    RMSE     MAE   fit s  test s"
                : "fold     train     test  prec@k  rec@k  NDCG@k   MAP@k  hit@k  cover   fit s  test s")
        func row(
            _ label: String, train: String, test: String, rating: RatingAccuracy?, ranking: RankingAccuracy?, fit: Double, testS: Double
        ) -> String {
            var s = label.padding(toLength: 4, withPad: " ", startingAt: 0) + train.leftPadded(10) + test.leftPadded(9)
            if let r = rating { s += String(format: "  %6.4f  %6.4f", r.rmse, r.mae) }
            if let r = ranking {
                s += String(format: "  %6.4f %6.4f  %6.4f  %6.4f %6.4f %6.4f", r.precision, r.recall, r.ndcg, r.map, r.hitRate, r.coverage)
            }
            return s + String(format: "  %6.2f  %6.2f", fit, testS)
        }
        for f in report.folds {
            lines.append(
                row(
                    "\(f.fold)", train: "\(f.trainCount)", test: "\(f.testCount)", rating: f.rating, ranking: f.ranking, fit: f.fitSeconds,
                    testS: f.testSeconds))
        }
        lines.append(
            row(
                "mean", train: "", test: "", rating: report.meanRating, ranking: report.meanRanking, fit: report.meanFitSeconds,
                testS: report.meanTestSeconds))
        lines.append(String(format: "total %.2f s", totalSeconds))
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// `--split`: how ratings are cut into training and test parts (parsed before any data is read).
enum SplitChoice: String, ExpressibleByArgument, CaseIterable {
    case kfold, random
    case leaveLast = "leave-last"
}

/// `--metrics`: rating or ranking metrics (parsed before any data is read).
enum MetricsChoice: String, ExpressibleByArgument, CaseIterable {
    case rating, ranking
}
