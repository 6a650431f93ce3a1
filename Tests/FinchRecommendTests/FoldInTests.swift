import Foundation
import Testing

@testable import FinchRecommend

/// Fold-in of new and changed users and items, and cold start from content.
///
/// Documented tolerance: a user folded in from their ratings gets
/// predictions whose RMS difference from a full retrain's (same settings,
/// including them) is at most twice the RMS difference between two full
/// retrains that differ only in the seed, and for `svd`/`svdpp` also at most
/// 0.15 on a 1–5 scale; for the deterministic `itemknn` and `baseline` at
/// most 0.15 and 0.05 for every item.
@Suite struct FoldInTests {
    static func split(_ d: RatingDataset, user: String) -> (rest: RatingDataset, mine: RatingDataset) {
        var keep: [(user: String, item: String, value: Float)] = [], mine = keep
        for n in 0..<d.count {
            let r = (d.users[Int(d.userIndices[n])], d.items[Int(d.itemIndices[n])], d.values[n])
            if r.0 == user { mine.append(r) } else { keep.append(r) }
        }
        return (
            RatingDataset(ratings: keep, feedback: d.feedback, ratingScale: d.ratingScale),
            RatingDataset(ratings: mine, feedback: d.feedback, ratingScale: d.ratingScale)
        )
    }

    static func explicitData() -> RatingDataset { TestData.lowRank(users: 80, items: 40, perUser: 15) }

    static func implicitData() -> RatingDataset {
        let base = explicitData()
        var r: [(user: String, item: String, value: Float)] = []
        for n in 0..<base.count where base.values[n] >= 3 {
            r.append((base.users[Int(base.userIndices[n])], base.items[Int(base.itemIndices[n])], 1))
        }
        return RatingDataset(ratings: r, feedback: .implicit)
    }

    static func rmsDifference(_ a: RecommenderModel, _ b: RecommenderModel, user: String, items: [String]) -> Float {
        var s: Float = 0
        for i in items {
            let d = a.predict(user: user, item: i).value - b.predict(user: user, item: i).value
            s += d * d
        }
        return (s / Float(items.count)).squareRoot()
    }

    @Test(arguments: [
        ("svd", ["factors": "10"]), ("svdpp", [:]), ("als", ["factors": "8"]), ("bpr", ["factors": "8", "epochs": "300", "lr": "0.05"]),
    ])
    func foldedInUserIsCloseToAFullRetrain(_ name: String, _ parameters: [String: String]) throws {
        let algorithm = try Algorithm(named: name)
        let data = algorithm == .als || algorithm == .bpr ? Self.implicitData() : Self.explicitData()
        let (rest, mine) = Self.split(data, user: "u7")
        var folded = try RecommenderModel.train(rest, algorithm: algorithm, parameters: parameters)
        let summary = try folded.foldIn(mine)
        #expect(summary == FoldInSummary(ratings: mine.count, newUsers: 1, updatedUsers: 0, newItems: 0, updatedItems: 0))
        let full = try RecommenderModel.train(data, algorithm: algorithm, parameters: parameters)
        let reseeded = try RecommenderModel.train(data, algorithm: algorithm, parameters: parameters.merging(["seed": "5"]) { $1 })
        let foldGap = Self.rmsDifference(folded, full, user: "u7", items: data.items.ids)
        let seedGap = Self.rmsDifference(reseeded, full, user: "u7", items: data.items.ids)
        #expect(foldGap <= 2 * seedGap, "\(name): fold-in gap \(foldGap), seed gap \(seedGap)")
        if algorithm == .svd || algorithm == .svdpp { #expect(foldGap <= 0.15, "\(name): \(foldGap)") }
        #expect(try folded.recommend(user: "u7", count: 5).count == 5)
    }

    @Test(arguments: [("itemknn", Float(0.15)), ("baseline", Float(0.05))])
    func deterministicModelsFoldInWithinAFixedTolerance(_ name: String, _ tolerance: Float) throws {
        let algorithm = try Algorithm(named: name)
        let data = Self.explicitData()
        let (rest, mine) = Self.split(data, user: "u7")
        var folded = try RecommenderModel.train(rest, algorithm: algorithm)
        _ = try folded.foldIn(mine)
        let full = try RecommenderModel.train(data, algorithm: algorithm)
        for i in data.items.ids {
            let d = abs(folded.predict(user: "u7", item: i).value - full.predict(user: "u7", item: i).value)
            #expect(d <= tolerance, "\(name) \(i): \(d)")
        }
    }

    @Test func alsFoldInSolvesTheUsersNormalEquationsExactly() throws {
        let data = Self.implicitData()
        let (rest, mine) = Self.split(data, user: "u3")
        let parameters = ["factors": "6", "alpha": "4", "reg": "0.1"]
        var model = try RecommenderModel.train(rest, algorithm: .als, parameters: parameters)
        _ = try model.foldIn(mine)
        let als = try #require(model.recommender as? ImplicitALSRecommender)
        let k = 6
        let u = try #require(model.users.index(of: "u3"))
        let x = Array(als.userFactors[(u * k)..<((u + 1) * k)])
        // (YᵀY + λI + Σ (c − 1) y yᵀ) x = Σ c y with c = alpha·value.
        var a = [Double](repeating: 0, count: k * k), b = [Double](repeating: 0, count: k)
        let y = als.itemFactors.map(Double.init)
        for i in 0..<(y.count / k) {
            for r in 0..<k { for c in 0..<k { a[r * k + c] += y[i * k + r] * y[i * k + c] } }
        }
        for d in 0..<k { a[d * k + d] += 0.1 }
        let m = als.trainingData
        for n in m.byUser.range(ofRow: u) {
            let i = Int(m.byUser.indices[n])
            let c = 4 * Double(m.byUser.values[n])
            for r in 0..<k {
                b[r] += c * y[i * k + r]
                for cc in 0..<k { a[r * k + cc] += (c - 1) * y[i * k + r] * y[i * k + cc] }
            }
        }
        for r in 0..<k {
            var lhs = 0.0
            for c in 0..<k { lhs += a[r * k + c] * Double(x[c]) }
            #expect(abs(lhs - b[r]) < 1e-3 * max(1, abs(b[r])), "row \(r): \(lhs) vs \(b[r])")
        }
    }

    @Test func changedUsersAndNewItemsAreFoldedIn() throws {
        let data = Self.explicitData()
        var model = try RecommenderModel.train(data, algorithm: .svd, parameters: ["factors": "6"])
        let before = model.predict(user: "u1", item: "i0").value
        let update = RatingDataset(
            ratings: [("u1", "i0", 5), ("u1", "i1", 5), ("u2", "brand-new", 5), ("u3", "brand-new", 4), ("newcomer", "i2", 1)],
            ratingScale: RatingScale(lower: 1, upper: 5))
        let summary = try model.foldIn(update)
        #expect(summary == FoldInSummary(ratings: 5, newUsers: 1, updatedUsers: 3, newItems: 1, updatedItems: 0))
        #expect(model.recommender.trainingData.value(user: model.users.index(of: "u1")!, item: model.items.index(of: "i0")!) == 5)
        #expect(model.predict(user: "u1", item: "i0").value != before)
        #expect(!model.predict(user: "newcomer", item: "i5").isFallback)
        #expect(try model.similarItems(to: "brand-new", count: 3).count == 3)
        let refit = try model.foldIn(RatingDataset(ratings: [("u4", "i0", 1)]), refitExistingItems: true)
        #expect(refit.updatedItems == 1 && refit.newItems == 0)
        let dir = TestData.temporaryDirectory()
        try model.save(to: dir)
        let loaded = try RecommenderModel.load(from: dir)
        #expect(loaded.predict(user: "newcomer", item: "i5") == model.predict(user: "newcomer", item: "i5"))
    }

    @Test(arguments: [Algorithm.itemknn, .baseline, .popular, .svdpp, .als, .bpr])
    func everyAlgorithmFoldsInNewUsersAndItems(_ algorithm: Algorithm) throws {
        let data = algorithm == .als || algorithm == .bpr ? Self.implicitData() : Self.explicitData()
        var model = try RecommenderModel.train(data, algorithm: algorithm, parameters: algorithm == .bpr ? ["epochs": "5"] : [:])
        let update = RatingDataset(
            ratings: [("fresh", "i0", 5), ("fresh", "i1", 4), ("u0", "fresh-item", 5), ("u1", "fresh-item", 4)],
            feedback: data.feedback)
        let summary = try model.foldIn(update)
        #expect(summary.newUsers == 1 && summary.newItems == 1)
        #expect(try model.recommend(user: "fresh", count: 3).count == 3)
        #expect(try model.similarItems(to: "fresh-item", count: 2).count == 2)
    }
}

@Suite struct ColdStartTests {
    /// Checkerboard items with a one-hot group feature.
    static func features(_ items: IDMap, count: Int = 12) -> [String: [Float]] {
        var f: [String: [Float]] = [:]
        for id in items.ids {
            let i = Int(id.dropFirst())!
            f[id] = i < count / 2 ? [1, 0] : [0, 1]
        }
        return f
    }

    @Test(arguments: [Algorithm.svd, .als, .bpr])
    func aColdItemIsPlacedByItsContentFeatures(_ algorithm: Algorithm) throws {
        let (data, _) = TestData.checkerboard(holdoutStride: 1_000, implicit: algorithm != .svd)
        let parameters: [String: String] =
            switch algorithm {
            case .svd: ["factors": "4", "epochs": "150", "lr": "0.02", "init_std": "0.3"]
            case .bpr: ["factors": "4", "epochs": "200", "lr": "0.05"]
            default: ["factors": "2", "alpha": "10"]
            }
        var model = try RecommenderModel.train(data, algorithm: algorithm, parameters: parameters)
        let mapping = try RidgeColdStartMapping.fit(model: model, features: Self.features(model.items), regularization: 0.01)
        try model.addColdStartItem("new-A", features: [1, 0], mapping: mapping)
        #expect(model.coldStartItems.count == 1)
        // A group-A user (u1 rated all of group A) gets the new group-A item first.
        #expect(try model.recommend(user: "u1", count: 1).map(\.item) == ["new-A"])
        // Its nearest items are group A's.
        let similar = try model.similarItems(to: "new-A", count: 3).map(\.item)
        #expect(similar.allSatisfy { Int($0.dropFirst())! < 6 }, "\(similar)")
        // Rating it folds it in like any item and it stops being cold.
        _ = try model.foldIn(RatingDataset(ratings: [("u2", "new-A", algorithm == .svd ? 5 : 1)], feedback: data.feedback))
        #expect(model.coldStartItems.isEmpty)
    }

    @Test func coldStartErrors() throws {
        let (data, _) = TestData.checkerboard()
        var knn = try RecommenderModel.train(data, algorithm: .itemknn)
        #expect(throws: RecommendError.self) { try RidgeColdStartMapping.fit(model: knn, features: Self.features(knn.items)) }
        let mapping = RidgeColdStartMapping(featureDimension: 2, outputDimension: 3, weights: [Float](repeating: 0, count: 9))
        #expect(throws: RecommendError.self) { try knn.addColdStartItem("x", features: [1, 0], mapping: mapping) }
        var svd = try RecommenderModel.train(data, algorithm: .svd, parameters: ["factors": "2"])
        #expect(throws: RecommendError.featureDimensionMismatch(item: "x", expected: 2, actual: 3)) {
            try svd.addColdStartItem("x", features: [1, 0, 0], mapping: mapping)
        }
        #expect(throws: RecommendError.itemAlreadyRated("i0")) { try svd.addColdStartItem("i0", features: [1, 0], mapping: mapping) }
        let wide = RidgeColdStartMapping(featureDimension: 2, outputDimension: 5, weights: [Float](repeating: 0, count: 15))
        #expect(throws: RecommendError.self) { try svd.addColdStartItem("y", features: [1, 0], mapping: wide) }
    }
}
