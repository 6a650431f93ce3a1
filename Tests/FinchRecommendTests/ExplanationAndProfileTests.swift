import Foundation
import Testing

@testable import FinchRecommend

/// Reasons name real history items; profiles summarize a user's own events.
@Suite struct ExplanationAndProfileTests {
    /// A hybrid over the topic data with the topic as category and titles.
    static func hybridOnline() throws -> OnlineRecommender {
        let (data, text) = HybridTests.topicData()
        let hybrid = try HybridTrainer.build(data, algorithm: .als, parameters: HybridTests.parameters, embeddings: text)
        let catalog = data.items.ids.map { id in
            CatalogItem(id: id, title: "Title \(id)", categories: [String(id.prefix(2))], embedding: text[id])
        }
        var options = OnlineOptions()
        options.eventWeights = EventWeights(weights: ["read": 1])
        return try OnlineRecommender(
            hybrid: hybrid, history: InteractionEvent.events(from: data, type: "read"), catalog: catalog, options: options)
    }

    @Test func hybridReasonsNameItemsFromTheUsersHistory() throws {
        let online = try Self.hybridOnline()
        var kinds = Set<ReasonKind>()
        for user in ["u0", "u1", "u2", "u3", "u17"] {
            let history = Set(online.events(of: user).map(\.item))
            let served = online.recommend(user: user, query: RecommendationQuery(count: 10, reasons: 3))
            #expect(served.source == .personal)
            for item in served.items {
                #expect(!item.reasons.isEmpty, "\(user) \(item.item)")
                #expect(item.reasons.map(\.contribution) == item.reasons.map(\.contribution).sorted(by: >))
                for reason in item.reasons {
                    kinds.insert(reason.kind)
                    #expect(reason.contribution > 0)
                    #expect(reason.items.allSatisfy(history.contains), "\(reason) names an item outside \(user)'s history")
                    if reason.kind != .popular { #expect(!reason.items.isEmpty) }
                    for named in reason.items { #expect(reason.text.contains("Title \(named)") || reason.kind == .popularInCategory) }
                }
            }
        }
        #expect(kinds.contains(.similarText))
        // The explain call for one item agrees with the list's reasons.
        let top = try #require(online.recommend(user: "u0", query: RecommendationQuery(count: 1, reasons: 3)).items.first)
        #expect(try online.explain(user: "u0", item: top.item, count: 3) == top.reasons)
    }

    @Test func itemKNNReasonsAreItemsTheUserRatedHighly() throws {
        let data = FoldInTests.explicitData()
        let model = try RecommenderModel.train(data, algorithm: .itemknn)
        let online = try OnlineRecommender(model: model, history: InteractionEvent.events(from: data, type: "rating"))
        let served = online.recommend(user: "u5", query: RecommendationQuery(count: 5, reasons: 2))
        let ratings = Dictionary(uniqueKeysWithValues: online.events(of: "u5").map { ($0.item, $0.value) })
        var named = 0
        for item in served.items {
            for reason in item.reasons {
                #expect(reason.kind == .ratedHighly && reason.text.hasPrefix("because you rated "))
                let id = try #require(reason.items.first)
                #expect((ratings[id] ?? 0) >= 4, "\(id) rated \(ratings[id] ?? 0)")
                named += 1
            }
        }
        #expect(named > 0)
    }

    @Test func aProfileCountsTypesSharesCategoriesAndListsTheLatestEvents() throws {
        var online = try Self.hybridOnline()
        let ids = online.model.items.ids
        let a = try #require(ids.first { $0.hasPrefix("t1") }), b = try #require(ids.first { $0.hasPrefix("t2") })
        let c = try #require(ids.last { $0.hasPrefix("t2") })
        try online.record([
            InteractionEvent(user: "reader", item: a, type: "read", time: 10),
            InteractionEvent(user: "reader", item: b, type: "read", time: 30),
            InteractionEvent(user: "reader", item: c, type: "read", time: 20),
        ])
        let profile = online.profile(user: "reader", events: 2)
        #expect(profile.eventCounts == ["read": 3])
        #expect(profile.topCategories.map(\.category) == ["t2", "t1"])
        #expect(abs(profile.topCategories[0].share - 2.0 / 3) < 1e-6 && abs(profile.topCategories[1].share - 1.0 / 3) < 1e-6)
        #expect(profile.lastEvents.map(\.item) == [b, c])
        #expect(Set(profile.definingItems.map(\.item)) == [a, b, c])
        #expect(profile.definingItems.first?.title == "Title \(profile.definingItems.first!.item)")
        #expect(profile.source == .personal)
        let nobody = online.profile(user: "nobody")
        #expect(nobody.eventCounts.isEmpty && nobody.topCategories.isEmpty && nobody.lastEvents.isEmpty && nobody.source == .popular)
    }
}
