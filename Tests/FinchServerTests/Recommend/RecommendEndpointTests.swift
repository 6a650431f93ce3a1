import FinchApps
import FinchRecommend
import FinchServer
import Foundation
import HummingbirdTesting
import Testing

/// The recommendation routes through the app: fold-in, cold-start items,
/// filters, the fallback chain, idempotent events.
@Suite struct RecommendEndpointTests {
    static func items(_ body: [String: Any]) throws -> [(item: String, score: Double)] {
        let list = try #require(body["items"] as? [[String: Any]])
        return try list.map { (try #require($0["item"] as? String), try #require($0["score"] as? Double)) }
    }

    @Test func eventsFoldANewUserInAsTheEnginesFoldInDoes() async throws {
        let (fixture, folder) = try await RecommendTestData.fixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let events: [[String: Any]] = [
                ["user": "newbie", "item": "i1", "type": "view", "time": 1],
                ["user": "newbie", "item": "i3", "type": "like", "time": 2],
                ["user": "newbie", "item": "i5", "type": "view", "time": 3],
            ]
            let before = try await client.send(.get, "/v1/users/newbie/recommendations?k=5", key: fixture.readKey)
            #expect(try before.object()["source"] as? String == "popular")
            let posted = try await client.send(.post, "/v1/events", key: fixture.writeKey, json: ["events": events])
            #expect(posted.status == .ok)
            let summary = try posted.object()
            #expect(summary["accepted"] as? Int == 3)
            #expect(summary["created_users"] as? [String] == ["newbie"])
            #expect(summary["personal_users"] as? [String] == ["newbie"])
            let response = try await client.send(.get, "/v1/users/newbie/recommendations?k=5", key: fixture.readKey)
            #expect(response.status == .ok)
            let body = try response.object()
            #expect(body["source"] as? String == "personal")
            // The engine's fold-in of the same history (like weighs 3).
            var engine = try RecommenderModel.load(from: folder)
            _ = try engine.foldIn(
                RatingDataset(ratings: [("newbie", "i1", 1), ("newbie", "i3", 3), ("newbie", "i5", 1)], feedback: .implicit))
            let expected = try engine.recommend(user: "newbie", count: 5)
            let served = try Self.items(body)
            #expect(served.map(\.item) == expected.map(\.item))
            for (s, e) in zip(served, expected) { #expect(abs(s.score - Double(e.score)) < 1e-5, "\(s) vs \(e)") }
        }
    }

    @Test func aNewItemWithTextIsRecommendableRightAfterPut() async throws {
        let (fixture, folder) = try await RecommendTestData.fixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let put = try await client.send(
                .put, "/v1/items/fresh", key: fixture.writeKey,
                json: ["title": "Fresh", "text": "a brand new item about heists", "categories": ["A"]])
            #expect(put.status == .ok)
            #expect(try put.object()["recommendable"] as? Bool == true)
            #expect(try put.object()["has_embedding"] as? Bool == true)
            let response = try await client.send(.get, "/v1/users/u0/recommendations?k=100", key: fixture.readKey)
            let served = try Self.items(try response.object())
            let fresh = try #require(served.first { $0.item == "fresh" })
            // Direct: the mapping fitted on the catalogue's vectors places the stored vector; ALS scores x_u·y.
            let vector = try #require(try await fixture.store.recommendEvents.item(id: "fresh")?.embedding)
            var model = try RecommenderModel.load(from: folder)
            let mapping = try RidgeColdStartMapping.fit(model: model, features: RecommendTestData.features())
            try model.addColdStartItem("fresh", features: vector, mapping: mapping)
            let direct = try #require(try model.recommend(user: "u0", count: 100).first { $0.item == "fresh" })
            #expect(abs(fresh.score - Double(direct.score)) < 1e-4, "\(fresh.score) vs \(direct.score)")
            let similar = try await client.send(.get, "/v1/items/fresh/similar?k=3", key: fixture.readKey)
            #expect(similar.status == .ok)
            #expect(try (similar.object()["items"] as? [[String: Any]])?.count == 3)
        }
    }

    @Test func excludeSeenCategoryAndAvailabilityHold() async throws {
        let (fixture, _) = try await RecommendTestData.fixture()
        defer { fixture.remove() }
        let data = RecommendTestData.dataset()
        let u = try #require(data.users.index(of: "u0"))
        let seen = Set((0..<data.count).filter { Int(data.userIndices[$0]) == u }.map { data.items[Int(data.itemIndices[$0])] })
        try await fixture.app().test(.router) { client in
            let all = try Self.items(
                try await client.send(.get, "/v1/users/u0/recommendations?k=100", key: fixture.readKey).object())
            #expect(all.count == 30 - seen.count)
            #expect(Set(all.map(\.item)).isDisjoint(with: seen))
            let withSeen = try Self.items(
                try await client.send(.get, "/v1/users/u0/recommendations?k=100&exclude_seen=false", key: fixture.readKey).object())
            #expect(seen.isSubset(of: Set(withSeen.map(\.item))))
            let inB = try Self.items(
                try await client.send(.get, "/v1/users/u0/recommendations?k=100&category=B", key: fixture.readKey).object())
            #expect(!inB.isEmpty && inB.allSatisfy { Int($0.item.dropFirst())! >= 15 })
            // i16 unavailable: gone from every list and from similar items.
            let hidden = try await client.send(
                .put, "/v1/items/i16", key: fixture.writeKey, json: ["title": "Item 16", "categories": ["B"], "available": false])
            #expect(hidden.status == .ok)
            for user in ["u0", "u1", "ghost"] {
                let list = try Self.items(
                    try await client.send(
                        .get, "/v1/users/\(user)/recommendations?k=100&exclude_seen=false", key: fixture.readKey
                    ).object())
                #expect(!list.contains { $0.item == "i16" }, "\(user) got the unavailable item")
            }
            let similar = try await client.send(.get, "/v1/items/i17/similar?k=29", key: fixture.readKey).object()
            let near = try #require(similar["items"] as? [[String: Any]]).compactMap { $0["item"] as? String }
            #expect(!near.contains("i16") && near.count == 28)
            let bad = try await client.send(.get, "/v1/users/u0/recommendations?k=0", key: fixture.readKey)
            #expect(bad.status == .badRequest)
            #expect(try bad.apiError().field == "k")
        }
    }

    @Test func theFallbackChainIsReported() async throws {
        let (fixture, _) = try await RecommendTestData.fixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            func source(_ user: String) async throws -> (String?, [String]) {
                let body = try await client.send(.get, "/v1/users/\(user)/recommendations?k=5&explain=true", key: fixture.readKey)
                    .object()
                return (body["source"] as? String, try Self.items(body).map(\.item))
            }
            #expect(try await source("ghost").0 == "popular")
            try await client.send(
                .post, "/v1/events", key: fixture.writeKey, json: ["events": [["user": "one", "item": "i20", "type": "view"]]])
            let (rung, list) = try await source("one")
            #expect(rung == "cold_start_user")
            #expect(!list.isEmpty && list.allSatisfy { Int($0.dropFirst())! >= 15 }, "popular within the category touched (B): \(list)")
            let explained = try await client.send(.get, "/v1/users/one/recommendations?k=1&explain=true", key: fixture.readKey)
                .object()
            let reasons = try #require((explained["items"] as? [[String: Any]])?.first?["reasons"] as? [[String: Any]])
            #expect(reasons.first?["kind"] as? String == "popular_in_category")
            #expect(reasons.first?["items"] as? [String] == ["i20"])
            try await client.send(
                .post, "/v1/events", key: fixture.writeKey,
                json: ["events": [["user": "one", "item": "i21", "type": "view"], ["user": "one", "item": "i22", "type": "like"]]])
            #expect(try await source("one").0 == "personal")
            let profile = try await client.send(.get, "/v1/users/one/profile", key: fixture.readKey).object()
            #expect(profile["event_counts"] as? [String: Int] == ["view": 2, "like": 1])
            #expect((profile["last_events"] as? [[String: Any]])?.count == 3)
            #expect(try await client.send(.get, "/v1/users/nobody/profile", key: fixture.readKey).status == .notFound)
        }
    }

    @Test func eventsAreIdempotentOnTheirIDAndCheckedBeforeStoring() async throws {
        let (fixture, _) = try await RecommendTestData.fixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let batch: [String: Any] = [
                "events": [
                    ["user": "u3", "item": "i9", "type": "view", "event_id": "ev-1"],
                    ["user": "u3", "item": "brand-new", "type": "view", "event_id": "ev-2"],
                ]
            ]
            let first = try await client.send(.post, "/v1/events", key: fixture.writeKey, json: batch).object()
            #expect(first["accepted"] as? Int == 2)
            #expect(first["created_items"] as? [String] == ["brand-new"])
            let retry = try await client.send(.post, "/v1/events", key: fixture.writeKey, json: batch).object()
            #expect(retry["accepted"] as? Int == 0)
            #expect(retry["duplicates"] as? [Int] == [0, 1])
            #expect(try await fixture.store.recommendEvents.events(user: "u3").count == 2)
            let bad = try await client.send(
                .post, "/v1/events", key: fixture.writeKey,
                json: ["events": [["user": "u3", "item": "i1", "type": "view"], ["user": "u3", "item": "i1", "type": "buy"]]])
            #expect(bad.status == .badRequest)
            #expect(try bad.apiError().field == "events[1].type")
            #expect(try await fixture.store.recommendEvents.events(user: "u3").count == 2, "a refused batch stores nothing")
            let unauthorized = try await client.send(.post, "/v1/events", key: fixture.readKey, json: batch)
            #expect(unauthorized.status == .forbidden)
        }
    }
}
