import FinchApps
import Foundation
import HummingbirdTesting
import Testing

@testable import FinchServer

/// `recommend_retrain_every`: its values, and a live service that retrains the
/// recommender on its own, as an ordinary job (`GET /v1/jobs`, actor `schedule`).
@Suite struct RecommendRetrainScheduleTests {
    @Test func parsesDurationsAndRefusesTooShortOrUnreadableOnes() throws {
        var c = RecommendConfiguration()
        for (text, seconds) in [("24h", 86_400.0), ("90m", 5_400), ("3600", 3_600), ("120s", 120), ("1.5d", 129_600)] {
            try c.set("recommend_retrain_every", text, source: "recommend_retrain_every")
            #expect(c.retrainEvery == seconds, "\(text)")
        }
        try c.set("recommend_retrain_every", "off", source: "x")
        #expect(c.retrainEvery == nil)
        for bad in ["30s", "hourly", "-2h", "h", "1w"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try c.set("recommend_retrain_every", bad, source: "x") }
        }
    }

    @Test func aScheduledRetrainRunsAsAJobWithoutAnyRequest() async throws {
        let (fixture, _) = try await RecommendTestData.fixture { config in config.recommend.retrainEvery = 0.5 }
        defer { fixture.remove() }
        try await fixture.app().test(.live) { client in
            var events: [[String: any Sendable]] = []
            for n in 0..<24 {
                for (k, item) in [(0, n % 15), (1, 15 + n % 15)] {
                    events.append(["user": "s\(n)", "item": "i\(item)", "type": "view", "value": 1, "time": Double(10 * n + k)])
                }
            }
            let posted = try await client.send(.post, "/v1/events", key: fixture.writeKey, json: ["events": events])
            #expect(posted.status == .ok || posted.status == .created || posted.status == .accepted)
            var finished: [String: Any]? = nil
            for _ in 0..<240 where finished == nil {
                try await Task.sleep(nanoseconds: 250_000_000)
                let list = try await client.send(.get, "/v1/jobs", key: fixture.adminKey)
                let jobs = try #require(try list.object()["jobs"] as? [[String: Any]])
                finished = jobs.first { $0["actor"] as? String == "schedule" && $0["state"] as? String != "running" }
            }
            let job = try #require(finished, "no scheduled retrain finished within 60 s")
            #expect(job["model"] as? String == "recs" && job["state"] as? String == "succeeded", "\(job)")
            let outcome = try #require(job["outcome"] as? [String: Any], "\(job)")
            #expect(outcome["reason"] is String && outcome["activated"] is Bool)
        }
    }
}
