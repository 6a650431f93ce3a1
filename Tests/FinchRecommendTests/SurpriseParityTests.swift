import FinchTestSupport
import Foundation
import Testing

@testable import FinchRecommend

/// `Tests/Fixtures/recommend/surprise_reference.json` (Scripts/make_recommend_fixtures.py).
struct SurpriseReference: Decodable {
    struct Model: Decodable {
        let params: [String: String]
        let est: [Double]
        let impossible: [Int]
        let initial: [String: [Float]]?
        let similarities: [Double]?
    }
    let meta: [String: String]
    let users: [String]
    let items: [String]
    let pairs: [[String]]
    let global_mean: Double
    let models: [String: Model]

    static func load() throws -> SurpriseReference {
        let data = try Data(contentsOf: TestSupport.fixtureURL("recommend/surprise_reference.json"))
        return try JSONDecoder().decode(SurpriseReference.self, from: data)
    }
}

/// Finch against scikit-surprise on the tiny fixture, every (user, item)
/// pair plus unknown ids, to 1e-4 (Surprise computes in Float64, Finch in Float32).
@Suite struct SurpriseParityTests {
    let reference: SurpriseReference
    let dataset: RatingDataset

    init() throws {
        reference = try SurpriseReference.load()
        dataset = try TestData.tinyRatings()
    }

    /// Fits `recommender` and compares clipped predictions with `name`'s.
    func compare(_ name: String, _ recommender: any Recommender, fit: Bool = true, tolerance: Double = 1e-4) throws {
        var r = recommender
        if fit { try r.fit(dataset.matrix(), observer: nil) }
        let model = RecommenderModel(
            recommender: r, users: dataset.users, items: dataset.items, feedback: .explicit, ratingScale: dataset.ratingScale)
        let expected = try #require(reference.models[name])
        var worst = 0.0
        for (n, pair) in reference.pairs.enumerated() {
            let p = model.predict(user: pair[0], item: pair[1])
            worst = max(worst, abs(Double(p.value) - expected.est[n]))
            #expect(p.isFallback == expected.impossible.contains(n), "\(name) \(pair): fallback flag")
        }
        #expect(worst <= tolerance, "\(name): largest difference \(worst)")
    }

    @Test func fixtureDataMatchesTheFileOrderSurpriseUsed() {
        #expect(dataset.users.ids == reference.users)
        #expect(dataset.items.ids == reference.items)
        #expect(abs(Double(dataset.matrix().globalMean) - reference.global_mean) < 1e-6)
    }

    @Test func baselineOnlyALSAndSGD() throws {
        try compare("baseline_als", BaselineRecommender(parameters: ["method": "als"]))
        try compare("baseline_sgd", BaselineRecommender(parameters: ["method": "sgd"]))
    }

    @Test func svdWithZeroInitialStdIsSeedFree() throws {
        try compare("svd_std0", SVDRecommender(parameters: ["factors": "5", "init_std": "0"]))
        try compare("svd_biasonly_sgd", SVDRecommender(parameters: ["factors": "3", "init_std": "0", "lr_pu": "0", "lr_qi": "0"]))
    }

    @Test func svdFromSurprisesInitialFactors() throws {
        let m = try #require(reference.models["svd_seeded"])
        var svd = try SVDRecommender(parameters: m.params)
        svd.initialFactors = (try #require(m.initial?["user"]), try #require(m.initial?["item"]))
        try compare("svd_seeded", svd)
    }

    @Test func svdppFromSurprisesInitialFactors() throws {
        let m = try #require(reference.models["svdpp_seeded"])
        var svdpp = try SVDppRecommender(parameters: m.params)
        svdpp.initialFactors = (
            try #require(m.initial?["user"]), try #require(m.initial?["item"]), try #require(m.initial?["implicit"])
        )
        try compare("svdpp_seeded", svdpp)
    }

    @Test func knnBaselinePearsonBaselineSimilaritiesAndPredictions() throws {
        let m = try #require(reference.models["knn_pearson_baseline"])
        var knn = try ItemKNNRecommender()
        try knn.fit(dataset.matrix(), observer: nil)
        let expected = try #require(m.similarities)
        #expect(knn.similarities.count == expected.count)
        var worst = 0.0
        for (a, b) in zip(knn.similarities, expected) { worst = max(worst, abs(Double(a) - b)) }
        #expect(worst < 1e-5, "similarity difference \(worst)")
        try compare("knn_pearson_baseline", knn, fit: false)
    }

    @Test func knnBaselineVariants() throws {
        for name in ["knn_small_k", "knn_cosine", "knn_pearson"] {
            let m = try #require(reference.models[name])
            try compare(name, ItemKNNRecommender(parameters: m.params))
        }
    }
}

/// `Tests/Fixtures/recommend/implicit_als_reference.json` (Scripts/make_recommend_fixtures.py).
struct ImplicitALSReference: Decodable {
    let meta: [String: String]
    let users: [String]
    let items: [String]
    let params: [String: String]
    let initial: [String: [Float]]
    let solvers: [String: [String: [Float]]]
}

/// Finch's implicit ALS against the `implicit` library from the same start:
/// the factors after 2 alternating sweeps, conjugate gradient and Cholesky.
@Suite struct ImplicitParityTests {
    @Test(arguments: ["cg", "cholesky"])
    func alsMatchesTheImplicitLibrary(_ solver: String) throws {
        let data = try Data(contentsOf: TestSupport.fixtureURL("recommend/implicit_als_reference.json"))
        let reference = try JSONDecoder().decode(ImplicitALSReference.self, from: data)
        var options = RatingFileOptions()
        options.implicit = true
        let dataset = try RatingFileReader.read(TestSupport.fixtureURL("recommend/tiny_ratings.csv").path, options: options)
        #expect(dataset.users.ids == reference.users && dataset.items.ids == reference.items)
        var als = try ImplicitALSRecommender(parameters: reference.params.merging(["solver": solver]) { $1 })
        als.initialFactors = (try #require(reference.initial["user"]), try #require(reference.initial["item"]))
        try als.fit(dataset.matrix(), observer: nil)
        let expected = try #require(reference.solvers[solver])
        for (name, mine) in [("user", als.userFactors), ("item", als.itemFactors)] {
            let theirs = try #require(expected[name])
            #expect(mine.count == theirs.count)
            var worst: Float = 0
            for (a, b) in zip(mine, theirs) { worst = max(worst, abs(a - b) / max(1, abs(b))) }
            #expect(worst < 1e-4, "\(solver) \(name) factors: largest difference \(worst)")
        }
    }
}

/// `implicit_bpr_reference.json` (Scripts/make_recommend_fixtures.py).
struct ImplicitBPRReference: Decodable {
    let users: [String]
    let items: [String]
    let params: [String: String]
    let initial: [String: [Float]]
    let triples: [[Int]]
    let final: [String: [Float]]
}

@Suite struct ImplicitBPRParityTests {
    /// Replays the samples the `implicit` library drew (reproduced and checked
    /// by the script) from its initial factors: Finch's update must land on
    /// the factors and item biases implicit returned after 2 epochs.
    @Test func bprUpdatesMatchTheImplicitLibrary() throws {
        let data = try Data(contentsOf: TestSupport.fixtureURL("recommend/implicit_bpr_reference.json"))
        let reference = try JSONDecoder().decode(ImplicitBPRReference.self, from: data)
        var options = RatingFileOptions()
        options.implicit = true
        let dataset = try RatingFileReader.read(TestSupport.fixtureURL("recommend/tiny_ratings.csv").path, options: options)
        #expect(dataset.users.ids == reference.users && dataset.items.ids == reference.items)
        let matrix = dataset.matrix()
        var bpr = try BPRRecommender(parameters: reference.params)
        bpr.trainingData = matrix
        bpr.userFactors = try #require(reference.initial["user"])
        bpr.itemFactors = try #require(reference.initial["item"])
        bpr.itemBias = try #require(reference.initial["item_bias"])
        // Every replayed sample is one Finch's sampler could draw: a liked item and a verified negative.
        let sorted = BPRRecommender.sortedRows(matrix.byUser)
        var triples: [(user: Int, liked: Int, disliked: Int)] = []
        for t in reference.triples {
            let range = matrix.byUser.range(ofRow: t[0])
            sorted.withUnsafeBufferPointer { s in
                #expect(BPRRecommender.contains(s, from: range.lowerBound, to: range.upperBound, t[1]))
                #expect(!BPRRecommender.contains(s, from: range.lowerBound, to: range.upperBound, t[2]))
            }
            triples.append((t[0], t[1], t[2]))
        }
        #expect(triples.count > 200)
        bpr.update(triples: triples)
        for (name, mine) in [("user", bpr.userFactors), ("item", bpr.itemFactors), ("item_bias", bpr.itemBias)] {
            let theirs = try #require(reference.final[name])
            let start = try #require(reference.initial[name])
            #expect(mine.count == theirs.count)
            var worst: Float = 0, moved: Float = 0
            for n in 0..<mine.count {
                worst = max(worst, abs(mine[n] - theirs[n]))
                moved = max(moved, abs(theirs[n] - start[n]))
            }
            #expect(worst < 1e-5, "\(name): largest difference \(worst)")
            #expect(moved > 1e-3, "\(name) barely moved (\(moved)); the comparison would prove little")
        }
        #expect(reference.final["user_bias_column"]?.allSatisfy { $0 == 1 } == true)
    }
}
