import FinchTestSupport
import Foundation
import Testing

@testable import FinchRecommend

/// `Tests/Fixtures/recommend/ranking_metrics_reference.json` (Scripts/make_ranking_metric_fixtures.py).
struct RankingReference: Decodable {
    let meta: [String: String]
    let truth: [[Double]]
    let predictions: [[Double]]
    let train_items: [Int]
    let metrics: [String: [String: Double]]
    let rmse: Double
    let mae: Double
}

@Suite struct MetricTests {
    @Test func rankingMetricsMatchHandComputedValues() {
        // User 0: relevant {1, 2, 3}; list [1, 5, 2, 7, 9]: hits at ranks 1 and 3.
        // User 1: relevant {4}; list [8, 6]: no hit. User 2: relevant {0}, no list.
        // User 3: list [1], no relevant items (ignored except for coverage).
        let m = RankingAccuracy(
            relevant: [[1, 2, 3], [4], [0], []], recommendations: [[1, 5, 2, 7, 9], [8, 6], nil, [1]], k: 5,
            catalogueSize: 10)
        // common users: 0 and 1.
        #expect(m.userCount == 2)
        #expect(abs(m.precision - (2.0 / 5) / 2) < 1e-12)
        #expect(abs(m.recall - (2.0 / 3) / 2) < 1e-12)
        // MAP@5: user 0 (1/1 + 2/3) / min(3, 5).
        #expect(abs(m.map - ((1 + 2.0 / 3) / 3) / 2) < 1e-12)
        // NDCG@5 over the 3 users with relevant items (user 2 counts 0).
        let dcg = 1 / log(2.0) + 1 / log(4.0)
        let idcg = 1 / log(2.0) + 1 / log(3.0) + 1 / log(4.0)
        #expect(abs(m.ndcg - (dcg / idcg) / 3) < 1e-12)
        #expect(abs(m.hitRate - 0.5) < 1e-12)
        // distinct recommended items {1,5,2,7,9,8,6} over 10.
        #expect(abs(m.coverage - 0.7) < 1e-12)
    }

    @Test func metricsAreZeroWithoutHitsAndOneForPerfectLists() {
        let none = RankingAccuracy(relevant: [[1], [2]], recommendations: [[3], [4]], k: 1, catalogueSize: 4)
        #expect(none.precision == 0 && none.recall == 0 && none.ndcg == 0 && none.map == 0 && none.hitRate == 0)
        let perfect = RankingAccuracy(relevant: [[1, 2], [3]], recommendations: [[2, 1], [3]], k: 2, catalogueSize: 3)
        #expect(perfect.recall == 1 && perfect.ndcg == 1 && perfect.map == 1 && perfect.hitRate == 1)
        #expect(perfect.precision == 0.75)
    }

    @Test func ratingMetricsMatchHandComputedValues() {
        let a = RatingAccuracy(predicted: [3, 4, 5], actual: [4, 4, 3])
        #expect(abs(a.rmse - (5.0 / 3).squareRoot()) < 1e-12)
        #expect(abs(a.mae - 1) < 1e-12)
    }

    @Test func matchMicrosoftRecommendersOnTheReferenceFixture() throws {
        let data = try Data(contentsOf: TestSupport.fixtureURL("recommend/ranking_metrics_reference.json"))
        let ref = try JSONDecoder().decode(RankingReference.self, from: data)
        let users = Int((ref.truth.map { $0[0] } + ref.predictions.map { $0[0] }).max()!) + 1
        var relevant = [[Int]](repeating: [], count: users)
        for t in ref.truth { relevant[Int(t[0])].append(Int(t[1])) }
        var scored = [[(Int, Double)]](repeating: [], count: users)
        for p in ref.predictions { scored[Int(p[0])].append((Int(p[1]), p[2])) }
        for (kText, expected) in ref.metrics {
            let k = Int(kText)!
            let lists: [[Int]?] = scored.map { s in s.isEmpty ? nil : s.sorted { $0.1 > $1.1 }.prefix(k).map(\.0) }
            let m = RankingAccuracy(relevant: relevant, recommendations: lists, k: k, catalogueSize: ref.train_items.count)
            #expect(abs(m.precision - expected["precision_at_k"]!) < 1e-12, "precision@\(k)")
            #expect(abs(m.recall - expected["recall_at_k"]!) < 1e-12, "recall@\(k)")
            #expect(abs(m.ndcg - expected["ndcg_at_k"]!) < 1e-12, "ndcg@\(k)")
            #expect(abs(m.map - expected["map_at_k"]!) < 1e-12, "map@\(k)")
            #expect(abs(m.coverage - expected["catalog_coverage"]!) < 1e-12, "coverage@\(k)")
        }
        // RMSE/MAE over the pairs both sets share (recommenders merges on user and item).
        var predicted: [Float] = [], actual: [Float] = []
        let truthByPair = Dictionary(uniqueKeysWithValues: ref.truth.map { (Int($0[0]) * 1000 + Int($0[1]), $0[2]) })
        for p in ref.predictions {
            if let t = truthByPair[Int(p[0]) * 1000 + Int(p[1])] {
                predicted.append(Float(p[2]))
                actual.append(Float(t))
            }
        }
        let r = RatingAccuracy(predicted: predicted, actual: actual)
        #expect(abs(r.rmse - ref.rmse) < 1e-6 && abs(r.mae - ref.mae) < 1e-6)
    }
}

@Suite struct SplitTests {
    @Test func kFoldPartitionsLikeSurprise() throws {
        let folds = try Splitter.kFold(count: 23, folds: 5, seed: 3)
        #expect(folds.map(\.test.count) == [5, 5, 5, 4, 4])
        var seen = Set<Int>()
        for f in folds {
            #expect(Set(f.train).isDisjoint(with: f.test))
            #expect(Set(f.train).union(f.test) == Set(0..<23))
            seen.formUnion(f.test)
        }
        #expect(seen == Set(0..<23))
        #expect(try Splitter.kFold(count: 23, folds: 5, seed: 3) == folds)
        #expect(try Splitter.kFold(count: 23, folds: 5, seed: 4) != folds)
        #expect(throws: RecommendError.self) { try Splitter.kFold(count: 3, folds: 5, seed: 1) }
    }

    @Test func randomSplitHasTheRequestedSize() throws {
        let s = try Splitter.random(count: 100, testFraction: 0.2, seed: 9)
        #expect(s.test.count == 20 && s.train.count == 80)
        #expect(Set(s.train).union(s.test) == Set(0..<100))
        #expect(throws: RecommendError.self) { try Splitter.random(count: 10, testFraction: 1.5, seed: 1) }
    }

    @Test func leaveLastKTakesEachUsersLatestRatings() throws {
        let data = RatingDataset(
            ratings: [("a", "x", 1), ("a", "y", 2), ("a", "z", 3), ("b", "x", 4), ("b", "y", 5), ("c", "x", 1)],
            timestamps: [30, 10, 20, 5, 5, 1])
        let split = try Splitter.leaveLastK(data, k: 1)
        // a's latest is x (t=30); b's ratings tie, the later row wins; c has one rating and stays in training.
        #expect(split.test == [0, 4])
        #expect(split.train == [1, 2, 3, 5])
        let noTimes = RatingDataset(ratings: [("a", "x", 1), ("a", "y", 2)])
        #expect(throws: RecommendError.self) { try Splitter.leaveLastK(noTimes, k: 1) }
    }
}

@Suite struct EvaluatorTests {
    @Test func crossValidationReportsEveryFoldAndBeatsTheMeanPredictor() throws {
        let data = TestData.lowRank(users: 40, items: 25, perUser: 12)
        let splits = try Splitter.kFold(count: data.count, folds: 3, seed: 1)
        let svd = try Evaluator.evaluate(
            data, algorithm: .svd, parameters: ["factors": "4", "epochs": "40", "lr": "0.01"], splits: splits, metrics: .rating)
        #expect(svd.folds.count == 3)
        #expect(svd.folds.map(\.testCount).reduce(0, +) == data.count)
        #expect(svd.folds.allSatisfy { $0.fitSeconds >= 0 && $0.rating != nil && $0.ranking == nil })
        // The global mean predictor's RMSE on the same folds.
        var worse = 0.0
        for s in splits {
            let train = data.matrix(selecting: s.train)
            let actual = s.test.map { data.values[$0] }
            worse += RatingAccuracy(predicted: actual.map { _ in train.globalMean }, actual: actual).rmse
        }
        #expect(svd.meanRating!.rmse < worse / 3)
        #expect(svd.parameters["factors"] == "4")
    }

    @Test func rankingEvaluationOnALeaveLastOutSplit() throws {
        let (data, _) = TestData.checkerboard(users: 16, items: 12, holdoutStride: 1_000, implicit: true)
        var timed = data
        timed.timestamps = (0..<data.count).map { Double(($0 * 7919) % data.count) }
        let split = try Splitter.leaveLastK(timed, k: 1)
        let report = try Evaluator.evaluate(
            timed, algorithm: .als, parameters: ["factors": "2", "alpha": "20"], splits: [split], metrics: .ranking(k: 3))
        let ranking = try #require(report.meanRanking)
        #expect(ranking.userCount == 16)
        // Every held-out item that also has training ratings is found in the top 3.
        let train = timed.matrix(selecting: split.train)
        let findable = split.test.filter { train.knowsItem(Int(timed.itemIndices[$0])) }.count
        #expect(findable >= 12)
        #expect(ranking.hitRate == Double(findable) / 16)
        #expect(ranking.recall == ranking.hitRate)
    }

    @Test func gridSearchPicksTheBestCombination() throws {
        #expect(GridSearch.combinations(["b": ["1", "2"], "a": ["x"]]) == [["a": "x", "b": "1"], ["a": "x", "b": "2"]])
        let data = TestData.lowRank(users: 30, items: 20, perUser: 8)
        let splits = try Splitter.kFold(count: data.count, folds: 3, seed: 2)
        let result = try GridSearch.run(
            data, algorithm: .svd, base: ["factors": "3"], grid: ["epochs": ["0", "25"], "lr": ["0.01"]], splits: splits,
            metrics: .rating, objective: .rmse)
        #expect(result.reports.count == 2)
        #expect(result.best.parameters["epochs"] == "25")
        #expect(result.reports.allSatisfy { $0.meanRating!.rmse >= result.best.meanRating!.rmse })
        #expect(throws: RecommendError.self) {
            try GridSearch.run(data, algorithm: .svd, grid: ["epochs": ["1"]], splits: splits, metrics: .rating, objective: .ndcg)
        }
    }
}
