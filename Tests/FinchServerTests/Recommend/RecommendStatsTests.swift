import FinchApps
import FinchRecommend
import FinchServer
import Foundation
import HummingbirdTesting
import Testing

/// `GET /v1/recommend/stats` on a recommender small enough to count by hand.
///
/// Training (implicit, one view each; ALS): u1 a b c d · u2 a b c · u3 a b e · u4 a c f · u5 a b g · u6 a b c.
/// Events per item: a 6, b 5, c 4, d 1, e 1, f 1, g 1 (19 events, 7 items, 6 users).
/// Buckets: 0 events → 0 items, 1 → 4 (d e f g), 2–3 → 0, 4–7 → 3 (a b c).
/// Top shares over 7 items: 1 % and 10 % → ⌈0.07⌉ = ⌈0.7⌉ = 1 item (a): 6/19; 20 % → ⌈1.4⌉ = 2 items (a b): 11/19.
/// Coverage with k = 10 (more than any user's unseen items; every user has 3 items, so every list is
/// personal and holds all their unseen items): exposures a 0, b 1 (u4), c 2 (u3 u5), d e f g 5 each;
/// covered 6 of 7; Gini of [0, 1, 2, 5, 5, 5, 5] = Σ(2j − 8)xⱼ ÷ (7 · 23) = 52/161.
@Suite struct RecommendStatsTests {
    static let training: [(user: String, items: String)] = [
        ("u1", "abcd"), ("u2", "abc"), ("u3", "abe"), ("u4", "acf"), ("u5", "abg"), ("u6", "abc"),
    ]

    /// A server fixture serving `tiny` (ALS on `training`), the items stored with titles.
    /// Remove both: `fixture.remove()` and the model's folder `dir`.
    static func fixture() async throws -> (fixture: ServerFixture, dir: URL) {
        let dir = try ServerFixture.temporaryDirectory()
        let folder = try modelFolder(training, in: dir, name: "tiny")
        let fixture = try await ServerFixture { config in
            config.models.append(.init(name: "tiny", path: folder.path))
            config.recommend.model = "tiny"
            config.recommend.eventWeights.weights = ["view": 1, "like": 3]
        }
        for id in "abcdefg" {
            try await fixture.store.recommendEvents.putItem(RecommendItemRecord(id: String(id), title: "Item \(id.uppercased())"))
        }
        return (fixture, dir)
    }

    /// ALS (2 factors) on `users` (one view of each of their items) saved as `dir/name`.
    static func modelFolder(_ users: [(user: String, items: String)], in dir: URL, name: String) throws -> URL {
        let ratings = users.flatMap { u in u.items.map { (user: u.user, item: String($0), value: Float(1)) } }
        let model = try RecommenderModel.train(
            RatingDataset(ratings: ratings, feedback: .implicit), algorithm: .als, parameters: ["factors": "2", "seed": "1"])
        let folder = dir.appendingPathComponent(name)
        try model.save(to: folder)
        return folder
    }

    static func buckets(_ body: [String: Any]) throws -> [[Int]] {
        let popularity = try #require(body["popularity"] as? [String: Any])
        let buckets = try #require(popularity["buckets"] as? [[String: Any]])
        return buckets.map { [$0["min_events"] as? Int ?? -1, $0["max_events"] as? Int ?? -1, $0["items"] as? Int ?? -1] }
    }

    @Test func countsPopularityAndCoverageAsCountedByHand() async throws {
        let (fixture, dir) = try await Self.fixture()
        defer {
            fixture.remove()
            try? FileManager.default.removeItem(at: dir)
        }
        try await fixture.app().test(.router) { client in
            let response = try await client.send(.get, "/v1/recommend/stats", key: fixture.readKey)
            #expect(response.status == .ok)
            let body = try response.object()
            #expect(body["model"] as? String == "tiny")
            #expect(body["model_version"] as? Int == 1)
            let counts = try #require(body["counts"] as? [String: Int])
            #expect(counts == ["users": 6, "items": 7, "servable_items": 7, "events": 19])
            #expect(try Self.buckets(body) == [[0, 0, 0], [1, 1, 4], [2, 3, 0], [4, 7, 3]])
            let shares = try #require((body["popularity"] as? [String: Any])?["top_shares"] as? [[String: Any]])
            #expect(shares.map { $0["top_fraction"] as? Double } == [0.01, 0.1, 0.2])
            #expect(shares.map { $0["items"] as? Int } == [1, 1, 2])
            let eventShares = shares.map { $0["event_share"] as? Double ?? -1 }
            for (got, want) in zip(eventShares, [6.0 / 19, 6.0 / 19, 11.0 / 19]) { #expect(abs(got - want) < 1e-12, "\(eventShares)") }
            let coverage = try #require(body["coverage"] as? [String: Any])
            #expect(coverage["k"] as? Int == 10)
            #expect(coverage["sample_users"] as? Int == 6)
            #expect(coverage["covered_items"] as? Int == 6)
            #expect(abs((coverage["coverage"] as? Double ?? -1) - 6.0 / 7) < 1e-12)
            #expect(abs((coverage["gini"] as? Double ?? -1) - 52.0 / 161) < 1e-12, "\(coverage)")

            // The same figures from the lists the users are served.
            var exposure: [String: Int] = [:]
            for (user, _) in Self.training {
                let list = try await client.send(.get, "/v1/users/\(user)/recommendations?k=10", key: fixture.readKey).object()
                #expect(list["source"] as? String == "personal")
                for item in try #require(list["items"] as? [[String: Any]]) { exposure[item["item"] as? String ?? "", default: 0] += 1 }
            }
            #expect(exposure == ["b": 1, "c": 2, "d": 5, "e": 5, "f": 5, "g": 5])
        }
    }

    @Test func eventsChangeTheFiguresAndTheSampleIsSeededAndCapped() async throws {
        let (fixture, dir) = try await Self.fixture()
        defer {
            fixture.remove()
            try? FileManager.default.removeItem(at: dir)
        }
        try await fixture.app().test(.router) { client in
            // A new user's view of d: 7 users, 20 events, d moves to the 2–3 bucket.
            let posted = try await client.send(
                .post, "/v1/events", key: fixture.writeKey, json: ["events": [["user": "u7", "item": "d", "type": "view"]]])
            #expect(posted.status == .ok)
            let body = try await client.send(.get, "/v1/recommend/stats", key: fixture.readKey).object()
            #expect(body["counts"] as? [String: Int] == ["users": 7, "items": 7, "servable_items": 7, "events": 20])
            #expect(try Self.buckets(body) == [[0, 0, 0], [1, 1, 3], [2, 3, 1], [4, 7, 3]])

            // At most `sample` users, the same ones each time (seeded).
            let first = try await client.send(.get, "/v1/recommend/stats?k=1&sample=3", key: fixture.readKey).object()
            let again = try await client.send(.get, "/v1/recommend/stats?k=1&sample=3&model=tiny", key: fixture.readKey).object()
            let coverage = try #require(first["coverage"] as? [String: Any])
            #expect(coverage["sample_users"] as? Int == 3 && coverage["k"] as? Int == 1)
            #expect((coverage["covered_items"] as? Int ?? 0) <= 3)
            #expect(NSDictionary(dictionary: coverage) == NSDictionary(dictionary: try #require(again["coverage"] as? [String: Any])))

            #expect(try await client.send(.get, "/v1/recommend/stats?k=0", key: fixture.readKey).status == .badRequest)
            #expect(try await client.send(.get, "/v1/recommend/stats?sample=x", key: fixture.readKey).status == .badRequest)
            #expect(try await client.send(.get, "/v1/recommend/stats?model=other", key: fixture.readKey).status == .notFound)
            #expect(try await client.send(.get, "/v1/recommend/stats", key: nil).status == .unauthorized)
        }
    }
}
