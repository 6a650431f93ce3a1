import Foundation
import Testing

@testable import FinchRecommend

/// One algorithm under the contract: small, fast settings and the
/// hyperparameter changes that must each change its output.
struct AlgorithmCase: CustomTestStringConvertible, Sendable {
    let algorithm: Algorithm
    /// Settings that keep debug-build tests fast.
    let base: [String: String]
    /// Trained on implicit feedback.
    let implicit: Bool
    /// (name, new value, extra settings that make the name matter).
    let variations: [(String, String, [String: String])]

    var testDescription: String { algorithm.rawValue }

    static let all: [AlgorithmCase] = [
        AlgorithmCase(
            algorithm: .baseline, base: [:], implicit: false,
            variations: [
                ("method", "sgd", [:]), ("epochs", "2", [:]), ("reg_user", "1", [:]), ("reg_item", "1", [:]),
                ("reg", "0.5", ["method": "sgd"]), ("lr", "0.05", ["method": "sgd"]),
            ]),
        AlgorithmCase(algorithm: .popular, base: [:], implicit: false, variations: []),
        AlgorithmCase(
            algorithm: .svd, base: ["factors": "8"], implicit: false,
            variations: [
                ("factors", "4", [:]), ("epochs", "5", [:]), ("lr", "0.01", [:]), ("reg", "0.2", [:]),
                ("init_mean", "0.05", [:]), ("init_std", "0.3", [:]), ("biased", "false", [:]), ("lr_bu", "0.05", [:]),
                ("lr_bi", "0.05", [:]), ("lr_pu", "0.05", [:]), ("lr_qi", "0.05", [:]), ("reg_bu", "0.5", [:]),
                ("reg_bi", "0.5", [:]), ("reg_pu", "0.5", [:]), ("reg_qi", "0.5", [:]), ("seed", "7", [:]),
            ]),
        AlgorithmCase(
            algorithm: .svdpp, base: ["factors": "8"], implicit: false,
            variations: [
                ("factors", "4", [:]), ("epochs", "5", [:]), ("lr", "0.01", [:]), ("reg", "0.2", [:]),
                ("init_mean", "0.05", [:]), ("init_std", "0.3", [:]), ("lr_bu", "0.05", [:]), ("lr_bi", "0.05", [:]),
                ("lr_pu", "0.05", [:]), ("lr_qi", "0.05", [:]), ("lr_yj", "0.05", [:]), ("reg_bu", "0.5", [:]),
                ("reg_bi", "0.5", [:]), ("reg_pu", "0.5", [:]), ("reg_qi", "0.5", [:]), ("reg_yj", "0.5", [:]),
                ("seed", "7", [:]),
            ]),
        AlgorithmCase(
            algorithm: .als, base: ["factors": "8"], implicit: true,
            variations: [
                ("factors", "4", [:]), ("reg", "1", [:]), ("alpha", "5", [:]), ("epochs", "3", [:]),
                ("cg_steps", "1", [:]), ("solver", "cholesky", [:]), ("seed", "7", [:]),
            ]),
        AlgorithmCase(
            algorithm: .bpr, base: ["factors": "8", "epochs": "20"], implicit: true,
            variations: [
                ("factors", "4", [:]), ("lr", "0.05", [:]), ("reg", "0.1", [:]), ("epochs", "5", [:]),
                ("verify_negatives", "false", [:]), ("seed", "7", [:]),
            ]),
        AlgorithmCase(
            algorithm: .itemknn, base: [:], implicit: false,
            variations: [
                ("k", "2", [:]), ("min_k", "3", [:]), ("similarity", "cosine", [:]), ("shrinkage", "3", [:]),
                ("min_support", "4", [:]), ("ranking", "similarity_sum", [:]), ("baseline_method", "sgd", [:]),
                ("baseline_epochs", "2", [:]), ("baseline_reg_user", "1", [:]), ("baseline_reg_item", "1", [:]),
                ("baseline_reg", "0.5", ["baseline_method": "sgd"]), ("baseline_lr", "0.05", ["baseline_method": "sgd"]),
            ]),
    ]
}

/// Every algorithm obeys the `Recommender` contract.
@Suite struct RecommenderContractTests {
    /// A dataset with uneven supports, explicit or as implicit weights.
    static func varied(implicit: Bool) -> RatingDataset {
        var d = TestData.lowRank(users: 30, items: 20, perUser: 8)
        if implicit {
            d.feedback = .implicit
            d.values = d.values.map { $0 >= 3 ? 1 : 0.5 }
            d.ratingScale = nil
        }
        return d
    }

    /// Estimates of every pair and ranking scores of every user.
    static func fingerprint(_ r: any Recommender) -> [Float] {
        let data = r.trainingData
        var out: [Float] = []
        for u in 0..<data.userCount {
            for i in 0..<data.itemCount { out.append(r.estimate(user: u, item: i) ?? -999) }
            var scores = [Float](repeating: 0, count: data.itemCount)
            scores.withUnsafeMutableBufferPointer { r.scoreItems(forUser: u, into: $0) }
            out += scores
        }
        return out
    }

    static func fitted(_ c: AlgorithmCase, _ parameters: [String: String], on dataset: RatingDataset) throws -> any Recommender {
        var r = try c.algorithm.makeRecommender(parameters: parameters)
        try r.fit(dataset.matrix(), observer: nil)
        return r
    }

    @Test(arguments: AlgorithmCase.all)
    func everyHyperparameterIsListedAndChangesTheResult(_ c: AlgorithmCase) throws {
        let names = Set(c.algorithm.recommenderType.parameterNames)
        #expect(Set(c.variations.map(\.0)) == names, "variations must cover every hyperparameter")
        #expect(Set(try c.algorithm.makeRecommender(parameters: c.base).parameters.keys) == names)
        let data = Self.varied(implicit: c.implicit)
        for (name, value, extra) in c.variations {
            let base = c.base.merging(extra) { $1 }
            let before = Self.fingerprint(try Self.fitted(c, base, on: data))
            let after = Self.fingerprint(try Self.fitted(c, base.merging([name: value]) { $1 }, on: data))
            let changed = zip(before, after).contains { abs($0 - $1) > 1e-6 }
            #expect(changed, "\(c.algorithm.rawValue): \(name)=\(value) did not change the result")
        }
    }

    @Test(arguments: AlgorithmCase.all)
    func unknownAndInvalidHyperparametersAreRejected(_ c: AlgorithmCase) throws {
        #expect(throws: RecommendError.self) { try c.algorithm.makeRecommender(parameters: ["no_such_knob": "1"]) }
        if let name = c.algorithm.recommenderType.parameterNames.first {
            #expect(throws: RecommendError.self) { try c.algorithm.makeRecommender(parameters: [name: "not-a-value"]) }
        }
    }

    @Test(arguments: AlgorithmCase.all)
    func unknownUsersAndItemsNeverCrash(_ c: AlgorithmCase) throws {
        let data = Self.varied(implicit: c.implicit)
        let model = try RecommenderModel.train(data, algorithm: c.algorithm, parameters: c.base)
        for (u, i) in [(-1, 0), (0, -1), (10_000, 0), (0, 10_000), (-5, -5)] {
            if let e = model.recommender.estimate(user: u, item: i) { #expect(e.isFinite) }
        }
        let p = model.predict(user: "nobody", item: "nothing")
        #expect(p.value.isFinite)
        let known = model.predict(user: data.users[0], item: "nothing")
        #expect(known.value.isFinite)
        #expect(throws: RecommendError.unknownUser("nobody")) { try model.recommend(user: "nobody", count: 3) }
        #expect(throws: RecommendError.unknownItem("nothing")) { try model.similarItems(to: "nothing", count: 3) }
        #expect(throws: RecommendError.unknownUser("nobody")) { try model.explain(user: "nobody", item: data.items[0], count: 3) }
        var empty = try c.algorithm.makeRecommender(parameters: c.base)
        #expect(throws: RecommendError.emptyTrainingSet) { try empty.fit(.empty(userCount: 2, itemCount: 2), observer: nil) }
    }

    @Test(arguments: AlgorithmCase.all)
    func recommendationsExcludeSeenItemsAndAreSortedAndSimilarItemsExcludeTheQuery(_ c: AlgorithmCase) throws {
        let data = Self.varied(implicit: c.implicit)
        let model = try RecommenderModel.train(data, algorithm: c.algorithm, parameters: c.base)
        let matrix = data.matrix()
        for u in 0..<3 {
            let recs = try model.recommend(user: data.users[u], count: 5, reasons: 2)
            #expect(recs.count == 5)
            #expect(recs.map(\.rank) == [1, 2, 3, 4, 5])
            #expect(zip(recs, recs.dropFirst()).allSatisfy { $0.score >= $1.score })
            for r in recs { #expect(matrix.value(user: u, item: data.items.index(of: r.item)!) == nil) }
        }
        let similar = try model.similarItems(to: data.items[0], count: 4)
        #expect(similar.count == 4)
        #expect(!similar.contains { $0.item == data.items[0] })
    }

    @Test(arguments: AlgorithmCase.all)
    func saveThenLoadGivesIdenticalPredictions(_ c: AlgorithmCase) throws {
        let data = Self.varied(implicit: c.implicit)
        let model = try RecommenderModel.train(data, algorithm: c.algorithm, parameters: c.base)
        let dir = TestData.temporaryDirectory()
        try model.save(to: dir)
        try model.save(to: dir)  // replacing an existing model works
        let loaded = try RecommenderModel.load(from: dir)
        #expect(loaded.algorithm == c.algorithm)
        #expect(loaded.recommender.parameters == model.recommender.parameters)
        #expect(loaded.users == model.users && loaded.items == model.items)
        #expect(loaded.recommender.trainingData == model.recommender.trainingData)
        #expect(Self.fingerprint(loaded.recommender) == Self.fingerprint(model.recommender))
        #expect(try loaded.recommend(user: data.users[1], count: 5) == model.recommend(user: data.users[1], count: 5))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
            .filter { $0.contains(dir.lastPathComponent) && $0 != dir.lastPathComponent }
        #expect(leftovers.isEmpty, "temporary directories left behind: \(leftovers)")
    }

    @Test(arguments: [Algorithm.svd, .svdpp, .itemknn])
    func explicitCheckerboardIsRecovered(_ algorithm: Algorithm) throws {
        let (data, heldOut) = TestData.checkerboard()
        let parameters: [String: String] =
            algorithm == .itemknn ? [:] : ["factors": "4", "epochs": "150", "lr": "0.02", "init_std": "0.3"]
        let model = try RecommenderModel.train(data, algorithm: algorithm, parameters: parameters)
        let liked = heldOut.filter(\.liked).map { model.predict(user: $0.user, item: $0.item).value }
        let disliked = heldOut.filter { !$0.liked }.map { model.predict(user: $0.user, item: $0.item).value }
        #expect(liked.min()! > disliked.max()!, "\(algorithm): liked \(liked.min()!) vs disliked \(disliked.max()!)")
        #expect(liked.reduce(0, +) / Float(liked.count) > 4)
        #expect(disliked.reduce(0, +) / Float(disliked.count) < 2)
    }

    @Test(arguments: [
        ("als", [String: String]()), ("bpr", ["epochs": "200", "lr": "0.05"]),
        ("itemknn", ["similarity": "cosine", "ranking": "similarity_sum"]),
    ])
    func implicitCheckerboardIsRecovered(_ name: String, _ extra: [String: String]) throws {
        let (data, heldOut) = TestData.checkerboard(implicit: true)
        let model = try RecommenderModel.train(
            data, algorithm: try Algorithm(named: name),
            parameters: ["factors": "4"].filter { _ in name != "itemknn" }.merging(extra) { $1 })
        for user in Set(heldOut.map(\.user)) {
            let hidden = Set(heldOut.filter { $0.user == user && $0.liked }.map(\.item))
            if hidden.isEmpty { continue }
            let top = try model.recommend(user: user, count: hidden.count).map(\.item)
            #expect(Set(top) == hidden, "\(name) \(user): \(top) vs \(hidden)")
        }
    }

    @Test func baselineRecoversAdditiveBiases() throws {
        var ratings: [(user: String, item: String, value: Float)] = []
        var truth: [(String, String, Float)] = []
        for u in 0..<20 {
            for i in 0..<15 {
                let r = 3 + Float(u % 5) * 0.3 - 0.6 + Float(i % 3) * 0.5 - 0.5
                if (u + 2 * i) % 7 == 0 { truth.append(("u\(u)", "i\(i)", r)) } else { ratings.append(("u\(u)", "i\(i)", r)) }
            }
        }
        let model = try RecommenderModel.train(
            RatingDataset(ratings: ratings), algorithm: .baseline, parameters: ["reg_user": "0.01", "reg_item": "0.01", "epochs": "50"])
        for (u, i, r) in truth { #expect(abs(model.predict(user: u, item: i).value - r) < 0.02) }
    }

    @Test func popularRanksByNumberOfRatingsAndPredictsTheItemMean() throws {
        let data = RatingDataset(ratings: [
            ("a", "x", 4), ("b", "x", 2), ("c", "x", 3), ("a", "y", 5), ("b", "y", 5), ("c", "z", 1), ("d", "w", 2),
        ])
        let model = try RecommenderModel.train(data, algorithm: .popular)
        #expect(try model.recommend(user: "d", count: 3).map(\.item) == ["x", "y", "z"])
        #expect(model.predict(user: "d", item: "x").value == 3)
        #expect(model.predict(user: "d", item: "new").isFallback)
    }

    @Test func svdWithZeroFactorLearningRatePredictsTheSGDBaselineAndWithZeroLearningRateTheMean() throws {
        let data = TestData.lowRank(users: 25, items: 15, perUser: 6).matrix()
        var svd = try SVDRecommender(parameters: ["factors": "6", "init_std": "0", "lr_pu": "0", "lr_qi": "0"])
        try svd.fit(data, observer: nil)
        var baseline = try BaselineRecommender(parameters: ["method": "sgd"])
        try baseline.fit(data, observer: nil)
        var frozen = try SVDRecommender(parameters: ["factors": "6", "init_std": "0", "lr": "0"])
        try frozen.fit(data, observer: nil)
        for u in 0..<data.userCount {
            for i in 0..<data.itemCount {
                #expect(abs(svd.estimate(user: u, item: i)! - baseline.estimate(user: u, item: i)!) < 1e-5)
                #expect(frozen.estimate(user: u, item: i) == data.globalMean)
            }
        }
    }

    @Test func observerSeesEveryEpochAndCanStopEarly() throws {
        let data = TestData.lowRank(users: 10, items: 8, perUser: 4).matrix()
        var seen: [Int] = []
        var svd = try SVDRecommender(parameters: ["factors": "2", "epochs": "6"])
        try svd.fit(data) { progress in
            seen.append(progress.step)
            #expect(progress.stepCount == 6)
            return progress.step == 3 ? .stop : .proceed
        }
        #expect(seen == [1, 2, 3])
    }
}
