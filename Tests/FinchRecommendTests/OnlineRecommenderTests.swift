import Foundation
import Testing

@testable import FinchRecommend

/// The serving state: fold-in of events, cold-start items, filters, the
/// fallback chain and deleting users.
@Suite struct OnlineRecommenderTests {
    static let weights = EventWeights(weights: ["view": 1, "like": 3])

    /// Implicit low-rank data without user u7, an ALS model on it, and u7's events.
    static func setUp() throws -> (online: OnlineRecommender, model: RecommenderModel, mine: RatingDataset) {
        let (rest, mine) = FoldInTests.split(FoldInTests.implicitData(), user: "u7")
        let model = try RecommenderModel.train(rest, algorithm: .als, parameters: ["factors": "6", "alpha": "4"])
        var options = OnlineOptions()
        options.eventWeights = weights
        let online = try OnlineRecommender(model: model, history: InteractionEvent.events(from: rest, type: "view"), options: options)
        return (online, model, mine)
    }

    static func events(_ dataset: RatingDataset, type: String = "view", from time: Double = 1e9) -> [InteractionEvent] {
        InteractionEvent.events(from: dataset, type: type).enumerated().map { n, e in
            var e = e
            e.time = time + Double(n)
            return e
        }
    }

    @Test func eventsFoldTheUserInExactlyAsTheEnginesFoldIn() throws {
        let setup = try Self.setUp()
        var online = setup.online
        let model = setup.model, mine = setup.mine
        let summary = try online.record(Self.events(mine))
        #expect(summary.newUsers == ["u7"] && summary.newItems.isEmpty && summary.events == mine.count)
        var engine = model
        _ = try engine.foldIn(mine)
        let als = try #require(online.model.recommender as? ImplicitALSRecommender)
        let reference = try #require(engine.recommender as? ImplicitALSRecommender)
        let u = try #require(online.model.users.index(of: "u7"))
        #expect(als.userFactors[(u * 6)..<((u + 1) * 6)] == reference.userFactors[(u * 6)..<((u + 1) * 6)])
        let served = online.recommend(user: "u7", query: RecommendationQuery(count: 5))
        #expect(served.source == .personal)
        let expected = try engine.recommend(user: "u7", count: 5)
        #expect(served.items.map(\.item) == expected.map(\.item))
        #expect(served.items.map(\.score) == expected.map(\.score))
    }

    @Test func aNewUserIsPersonalAfterThreeEventsAndCanBeFedMore() throws {
        var (online, _, _) = try Self.setUp()
        try online.record([InteractionEvent(user: "new", item: "i1", type: "view", time: 1)])
        try online.record([InteractionEvent(user: "new", item: "i2", type: "like", time: 2)])
        #expect(online.source(for: "new") == .coldStartUser)
        try online.record([InteractionEvent(user: "new", item: "i3", type: "view", time: 3)])
        #expect(online.source(for: "new") == .personal)
        // The row holds the weighted history: like = 3.
        let u = try #require(online.model.users.index(of: "new"))
        #expect(online.model.recommender.trainingData.value(user: u, item: online.model.items.index(of: "i2")!) == 3)
        #expect(throws: RecommendError.unknownEventType("buy", known: ["like", "view"])) {
            try online.record([InteractionEvent(user: "new", item: "i4", type: "buy", time: 4)])
        }
        #expect(online.events(of: "new").count == 3)
    }

    @Test func aNewItemWithTextIsScoredByTheColdStartMapping() throws {
        let (rest, _) = FoldInTests.split(FoldInTests.implicitData(), user: "u7")
        let model = try RecommenderModel.train(rest, algorithm: .als, parameters: ["factors": "4", "alpha": "4"])
        var rng = SplitMix(3)
        var features: [String: [Float]] = [:]
        for id in model.items.ids { features[id] = (0..<5).map { _ in rng.normal() } }
        let mapping = try RidgeColdStartMapping.fit(model: model, features: features, regularization: 0.5)
        var options = OnlineOptions()
        options.eventWeights = Self.weights
        var online = try OnlineRecommender(
            model: model, history: InteractionEvent.events(from: rest, type: "view"), coldStart: mapping, options: options)
        let text: [Float] = [0.3, -1.2, 0.8, 0.1, 2.0]
        try online.upsertItem(CatalogItem(id: "fresh", title: "Fresh", embedding: text))
        let served = online.recommend(user: "u1", query: RecommendationQuery(count: 1000))
        let fresh = try #require(served.items.first { $0.item == "fresh" })
        // Direct: y = [text, 1]·W (bias column dropped for ALS), score = x_uᵀy.
        var y = [Float](repeating: 0, count: 4)
        for r in 0...5 {
            let x: Float = r < 5 ? text[r] : 1
            for c in 0..<4 { y[c] += x * mapping.weights[r * 5 + c + 1] }
        }
        let als = try #require(online.model.recommender as? ImplicitALSRecommender)
        let u = try #require(online.model.users.index(of: "u1"))
        var direct: Float = 0
        for f in 0..<4 { direct += als.userFactors[u * 4 + f] * y[f] }
        #expect(abs(fresh.score - direct) <= 1e-5 * max(1, abs(direct)), "\(fresh.score) vs \(direct)")
    }

    @Test func unavailableSeenAndOtherCategoryItemsAreLeftOut() throws {
        var (online, _, _) = try Self.setUp()
        for (n, id) in online.model.items.ids.enumerated() {
            try online.upsertItem(CatalogItem(id: id, title: "T\(id)", categories: [n % 2 == 0 ? "even" : "odd"]))
        }
        try online.upsertItem(CatalogItem(id: "i0", categories: ["even"], isAvailable: false))
        let all = online.recommend(user: "u1", query: RecommendationQuery(count: 1000, excludeSeen: false))
        #expect(!all.items.contains { $0.item == "i0" })
        let seen = Set(online.events(of: "u1").map(\.item))
        #expect(all.items.contains { seen.contains($0.item) })
        let unseen = online.recommend(user: "u1", query: RecommendationQuery(count: 1000))
        #expect(!unseen.items.isEmpty && unseen.items.allSatisfy { !seen.contains($0.item) && $0.item != "i0" })
        let even = online.recommend(user: "u1", query: RecommendationQuery(count: 1000, category: "even"))
        #expect(!even.items.isEmpty)
        #expect(even.items.allSatisfy { online.catalog[$0.item]?.categories == ["even"] })
        // The popular fallback obeys the same filters.
        let stranger = online.recommend(user: "nobody", query: RecommendationQuery(count: 1000, category: "odd"))
        #expect(stranger.source == .popular && stranger.items.allSatisfy { online.catalog[$0.item]?.categories == ["odd"] })
    }

    @Test func theFallbackChainIsReported() throws {
        var (online, _, _) = try Self.setUp()
        for (n, id) in online.model.items.ids.enumerated() {
            try online.upsertItem(CatalogItem(id: id, categories: [n < 10 ? "drama" : "comedy"]))
        }
        let stranger = online.recommend(user: "nobody", query: RecommendationQuery(count: 5, reasons: 1))
        #expect(stranger.source == .popular)
        let counts = stranger.items.map(\.score)
        #expect(counts == counts.sorted(by: >) && counts.count == 5)
        let most = online.popularity.max()!
        #expect(counts.first == most)
        #expect(stranger.items.allSatisfy { $0.reasons.first?.kind == .popular })
        try online.record([InteractionEvent(user: "newbie", item: online.model.items[0], type: "view", time: 1)])
        let newbie = online.recommend(user: "newbie", query: RecommendationQuery(count: 5, reasons: 1))
        #expect(newbie.source == .coldStartUser)
        #expect(newbie.items.allSatisfy { online.catalog[$0.item]?.categories == ["drama"] })
        #expect(newbie.items.allSatisfy { $0.reasons.first?.text == "popular in drama" })
        #expect(newbie.items.allSatisfy { $0.reasons.first?.items == [online.model.items[0]] })
        #expect(online.recommend(user: "u1").source == .personal)
    }

    @Test func deletingAUserRemovesTheirEventsAndChangesNobodyElse() throws {
        let setup = try Self.setUp()
        var online = setup.online
        let mine = setup.mine
        try online.record(Self.events(mine))
        let others = ["u0", "u1", "u2", "u3", "u10", "u20", "u42"]
        let before = others.map { online.recommend(user: $0, query: RecommendationQuery(count: 8)) }
        let popularityBefore = online.popularity
        let removed = try online.deleteUser("u7")
        #expect(removed == mine.count)
        #expect(online.events(of: "u7").isEmpty)
        #expect(online.source(for: "u7") == .popular)
        let u = try #require(online.model.users.index(of: "u7"))
        #expect(online.model.recommender.trainingData.byUser.count(ofRow: u) == 0)
        let als = try #require(online.model.recommender as? ImplicitALSRecommender)
        #expect(als.userFactors[(u * 6)..<((u + 1) * 6)].allSatisfy { $0 == 0 })
        #expect(online.popularity.reduce(0, +) == popularityBefore.reduce(0, +) - Float(mine.count))
        let after = others.map { online.recommend(user: $0, query: RecommendationQuery(count: 8)) }
        #expect(after == before)
    }
}
