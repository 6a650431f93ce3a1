import Foundation
import Testing

@testable import FinchRecommend

/// Issue 10, items 3 and 10, at the library level.
@Suite struct DivergenceAndScaleTests {
    @Test(arguments: [Algorithm.svd, .svdpp, .bpr])
    func sgdTrainersStopAtTheFirstNonFiniteEpoch(_ algorithm: Algorithm) throws {
        let (data, _) = TestData.checkerboard()
        do {
            _ = try RecommenderModel.train(data, algorithm: algorithm, parameters: ["lr": "1e6", "factors": "3", "epochs": "5"])
            Issue.record("training with lr 1e6 did not fail")
        } catch let RecommendError.diverged(name, epoch, array, cause) {
            #expect(name == algorithm.rawValue)
            #expect(epoch == 1)
            #expect(!array.isEmpty)
            #expect(cause.contains("learning rate (1000000.0)"))
        }
    }

    @Test func aSaneRunIsNotFlagged() throws {
        let (data, _) = TestData.checkerboard()
        for algorithm in Algorithm.allCases {
            let names = algorithm.recommenderType.parameterNames
            _ = try RecommenderModel.train(data, algorithm: algorithm, parameters: names.contains("epochs") ? ["epochs": "3"] : [:])
        }
    }

    @Test func recommendedScoresOfExplicitModelsAreClippedToTheScale() throws {
        let (data, _) = TestData.checkerboard()
        let trained = try RecommenderModel.train(data, algorithm: .svd, parameters: ["factors": "3", "epochs": "30"])
        let raw = try trained.recommend(user: "u0", count: 3)
        let narrow = RecommenderModel(
            recommender: trained.recommender, users: trained.users, items: trained.items, feedback: .explicit,
            ratingScale: RatingScale(lower: 1, upper: 2))
        let clipped = try narrow.recommend(user: "u0", count: 3)
        #expect(raw.map(\.item) == clipped.map(\.item))
        #expect(raw.contains { $0.score > 2 })
        #expect(clipped.allSatisfy { $0.score <= 2 && $0.score >= 1 })
    }

    @Test func foldInRejectsRatingsOutsideTheModelsScaleAndChangesNothing() throws {
        let (data, _) = TestData.checkerboard()
        var model = try RecommenderModel.train(data, algorithm: .svd, parameters: ["factors": "3", "epochs": "2"])
        let before = model.predict(user: "u0", item: "i1")
        let update = RatingDataset(ratings: [("new", "i1", 4), ("new", "i2", 9)])
        #expect(throws: RecommendError.ratingOutsideScale(user: "new", item: "i2", rating: 9, scale: RatingScale(lower: 1, upper: 5))) {
            try model.foldIn(update)
        }
        #expect(model.users.index(of: "new") == nil)
        #expect(model.predict(user: "u0", item: "i1") == before)
    }

    @Test func aDivergingFoldInIsAnError() throws {
        let (data, _) = TestData.checkerboard(implicit: true)
        var model = try RecommenderModel.train(data, algorithm: .bpr, parameters: ["factors": "3", "epochs": "2"])
        var bpr = try #require(model.recommender as? BPRRecommender)
        bpr.configuration.lr = 1e30
        model.recommender = bpr
        let update = RatingDataset(ratings: [("new", "i1", 1), ("new", "i2", 1), ("new", "i7", 1)], feedback: .implicit)
        #expect(throws: RecommendError.self) { try model.foldIn(update) }
        do {
            _ = try model.foldIn(update)
        } catch let RecommendError.diverged(algorithm, _, _, cause) {
            #expect(algorithm == "bpr" && cause.hasPrefix("the fold-in diverged"))
        }
    }
}
