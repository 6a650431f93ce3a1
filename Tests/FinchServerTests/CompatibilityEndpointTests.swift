import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The documented request examples of OpenAI's embeddings API and of
/// text-embeddings-inference, replayed unchanged.
@Suite struct CompatibilityEndpointTests {
    @Test func openAIEmbeddings() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(
                .post, "/v1/embeddings", key: fixture.readKey,
                raw: #"{"input": "The food was delicious and the waiter...", "model": "mini", "encoding_format": "float"}"#)
            #expect(r.status == .ok)
            let body = try r.object()
            #expect(body["object"] as? String == "list")
            #expect(body["model"] as? String == "mini")
            let data = try #require(body["data"] as? [[String: Any]])
            #expect(data.count == 1)
            #expect(data[0]["object"] as? String == "embedding")
            #expect(data[0]["index"] as? Int == 0)
            #expect((data[0]["embedding"] as? [Double])?.count == 32)
            let usage = try #require(body["usage"] as? [String: Any])
            #expect((usage["prompt_tokens"] as? Int ?? 0) > 2)
            #expect(usage["total_tokens"] as? Int == usage["prompt_tokens"] as? Int)
            let two = try await client.send(.post, "/v1/embeddings", key: fixture.readKey, json: ["input": ["a", "b"], "model": "mini"])
            #expect((try two.object()["data"] as? [[String: Any]])?.map { $0["index"] as? Int } == [0, 1])
        }
    }

    @Test func teiEmbedPredictRerankTokenize() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            // curl 127.0.0.1:8080/embed -d '{"inputs":"What is Deep Learning?"}'
            var r = try await client.send(.post, "/embed", key: fixture.readKey, raw: #"{"inputs":"What is Deep Learning?"}"#)
            #expect(r.status == .ok)
            let vectors = try #require(try r.json() as? [[Double]])
            #expect(vectors.count == 1 && vectors[0].count == 32)
            r = try await client.send(.post, "/embed", key: fixture.readKey, raw: #"{"inputs":["Today is a nice day", "I like you"]}"#)
            #expect((try r.json() as? [[Double]])?.count == 2)

            // curl 127.0.0.1:8080/predict -d '{"inputs":"I like you."}'
            r = try await client.send(.post, "/predict", key: fixture.readKey, raw: #"{"inputs":"I like you."}"#)
            #expect(r.status == .ok)
            let labels = try #require(try r.json() as? [[String: Any]])
            #expect(labels.count == 3)
            #expect(labels.allSatisfy { $0["label"] is String && $0["score"] is Double })
            // batch: {"inputs":[["I like you."],["I hate pineapples"]]}
            r = try await client.send(.post, "/predict", key: fixture.readKey, raw: #"{"inputs":[["I like you."],["I hate pineapples"]]}"#)
            #expect((try r.json() as? [[[String: Any]]])?.count == 2)

            // curl 127.0.0.1:8080/rerank \
            //   -d '{"query":"What is Deep Learning?", "texts": ["Deep Learning is not...", "Deep learning is..."]}'
            r = try await client.send(
                .post, "/rerank", key: fixture.readKey,
                raw:
                    #"{"query":"What is Deep Learning?", "texts": ["Deep Learning is not...", "Deep learning is..."], "return_text": true}"#
            )
            #expect(r.status == .ok)
            let ranks = try #require(try r.json() as? [[String: Any]])
            #expect(Set(ranks.compactMap { $0["index"] as? Int }) == [0, 1])
            #expect(ranks.allSatisfy { $0["text"] is String })

            // curl 127.0.0.1:8080/tokenize -d '{"inputs":"test"}'
            r = try await client.send(.post, "/tokenize", key: fixture.readKey, raw: #"{"inputs":"test"}"#)
            #expect(r.status == .ok)
            let tokens = try #require((try r.json() as? [[[String: Any]]])?.first)
            #expect(tokens.first?["text"] as? String == "[CLS]")
            #expect(tokens.first?["special"] as? Bool == true)
            #expect(tokens.first?["start"] is NSNull)
            #expect(tokens.count >= 3)
            #expect(tokens[1]["special"] as? Bool == false)
            #expect(tokens[1]["start"] as? Int == 0)
        }
    }
}
