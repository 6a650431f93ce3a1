import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/explain`: the explanations `finch explain` writes, over HTTP.
@Suite struct ExplainEndpointTests {
    @Test func classifierExplanationHasWordsSpecialTokensAndDelta() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(
                .post, "/v1/explain", key: fixture.readKey, json: ["model": "sentiment", "text": "the movie was very good", "steps": 64])
            #expect(r.status == .ok)
            let body = try r.object()
            #expect(body["model"] as? String == "sentiment" && body["version"] as? Int == 1)
            let explanations = try #require(body["explanations"] as? [[String: Any]])
            #expect(explanations.count == 1)
            let e = explanations[0]
            #expect(["negative", "neutral", "positive"].contains(e["label"] as? String ?? ""))
            let words = try #require(e["attributions"] as? [[String: Any]])
            #expect(words.map { $0["word"] as? String } == ["the", "movie", "was", "very", "good"])
            #expect(words.map { $0["start"] as? Int } == [0, 4, 10, 14, 19])
            #expect((e["special"] as? [[String: Any]])?.map { $0["token"] as? String } == ["[CLS]", "[SEP]"])
            #expect(abs(try #require(e["delta"] as? Double)) < 1e-3)
            // The same request by occlusion, for the class ig explained.
            let o = try await client.send(
                .post, "/v1/explain", key: fixture.readKey,
                json: ["model": "sentiment", "text": "the movie was very good", "method": "occlusion", "label": e["label"] as Any])
            #expect(o.status == .ok)
            let occluded = try #require((try o.object()["explanations"] as? [[String: Any]])?.first)
            #expect(occluded["label"] as? String == e["label"] as? String && occluded["occluder"] as? String == "[MASK]")
            #expect(occluded["delta"] == nil)
        }
    }

    @Test func badRequestsNameTheField() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            for (json, field, status) in [
                (["model": "sentiment", "text": "x", "steps": 0] as [String: Any], "steps", HTTPResponse.Status.badRequest),
                (["model": "sentiment", "text": "x", "steps": 100_000], "steps", .badRequest),
                (["model": "sentiment", "text": "x", "label": "joy"], "label", .badRequest),
                (["model": "sentiment", "text": "x", "method": "shap"], "method", .badRequest),
                (["model": "mini", "text": "x"], "model", .badRequest),
                (["model": "nope", "text": "x"], "model", .notFound),
                (["model": "ner", "text": "x", "pair": "y"], "pair", .badRequest),
            ] {
                let r = try await client.send(.post, "/v1/explain", key: fixture.readKey, json: json)
                #expect(r.status == status, "\(json): \(String(buffer: r.body))")
                #expect(try r.apiError().field == field, "\(json)")
            }
            let anonymous = try await client.send(.post, "/v1/explain", key: nil, json: ["model": "sentiment", "text": "x"])
            #expect(anonymous.status == .unauthorized)
        }
    }
}
