import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct InferenceEndpointTests {
    @Test func embedReturnsUnitVectorsWithTimingHeaders() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(
                .post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": ["hello world", "good day"]])
            #expect(r.status == .ok)
            let body = try r.object()
            let vectors = try #require(body["embeddings"] as? [[Double]])
            #expect(vectors.count == 2)
            #expect(vectors.allSatisfy { $0.count == 32 })
            for v in vectors { #expect(abs(v.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4) }
            #expect(vectors[0] != vectors[1])
            #expect(body["model"] as? String == "mini")
            #expect(body["version"] as? Int == 1)
            #expect(body["truncated"] as? [Int] == [])
            for name in ["x-queue-time", "x-tokenization-time", "x-inference-time", "x-total-time"] {
                #expect(r.headers[.init(name)!].flatMap(Double.init) != nil, "missing \(name)")
            }
            // A single string is accepted as one input.
            let one = try await client.send(.post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": "hello world"])
            let single = try #require(try one.object()["embeddings"] as? [[Double]])
            #expect(single.count == 1)
            for (a, b) in zip(single[0], vectors[0]) { #expect(abs(a - b) < 1e-5) }
        }
    }

    @Test func truncationIsReported() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let long = Array(repeating: "hello", count: 80).joined(separator: " ")  // > 64 positions
        try await fixture.app().test(.router) { client in
            let r = try await client.send(.post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": ["short", long]])
            #expect(r.status == .ok)
            #expect(try r.object()["truncated"] as? [Int] == [1])
            #expect(r.headers[.init("x-truncated")!] == "1")
            let t = try await client.send(.post, "/v1/tokenize", key: fixture.readKey, json: ["model": "mini", "inputs": [long]])
            let item = try #require((try t.object()["results"] as? [[String: Any]])?.first)
            #expect((item["ids"] as? [Int])?.count == 64)
            #expect(item["truncated"] as? Bool == true)
        }
    }

    @Test func classifyReturnsRankedLabels() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(
                .post, "/v1/classify", key: fixture.readKey,
                json: ["model": "sentiment", "inputs": ["a fine film", "bad"], "top_k": 3])
            #expect(r.status == .ok)
            let results = try #require(try r.object()["results"] as? [[[String: Any]]])
            #expect(results.count == 2)
            for row in results {
                #expect(Set(row.compactMap { $0["label"] as? String }) == ["negative", "neutral", "positive"])
                let scores = row.compactMap { $0["score"] as? Double }
                #expect(scores == scores.sorted(by: >))
                #expect(abs(scores.reduce(0, +) - 1) < 1e-4)
            }
            let top1 = try await client.send(
                .post, "/v1/classify", key: fixture.readKey, json: ["model": "sentiment", "inputs": ["a fine film"]])
            let first = try #require((try top1.object()["results"] as? [[[String: Any]]])?.first)
            #expect(first.count == 1)
            #expect(first[0]["label"] as? String == results[0][0]["label"] as? String)
        }
    }

    @Test func entitiesHaveThePipelineShape() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let text = "mary visited paris and london"
            let r = try await client.send(.post, "/v1/entities", key: fixture.readKey, json: ["model": "ner", "inputs": [text]])
            #expect(r.status == .ok)
            let results = try #require(try r.object()["results"] as? [[[String: Any]]])
            #expect(results.count == 1)
            let scalars = Array(text.unicodeScalars)
            for entity in results[0] {
                let group = try #require(entity["entity_group"] as? String)
                #expect(["PER", "LOC"].contains(group))
                let start = try #require(entity["start"] as? Int), end = try #require(entity["end"] as? Int)
                var word = String.UnicodeScalarView()
                word.append(contentsOf: scalars[start..<end])
                #expect(entity["word"] as? String == String(word))
                #expect((entity["score"] as? Double).map { $0 > 0 && $0 <= 1 } == true)
            }
        }
    }

    @Test func tokenizeGivesIdsTokensOffsets() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(.post, "/v1/tokenize", key: fixture.readKey, json: ["model": "mini", "inputs": ["hello world"]])
            #expect(r.status == .ok)
            let item = try #require((try r.object()["results"] as? [[String: Any]])?.first)
            let tokens = try #require(item["tokens"] as? [String])
            #expect(tokens.first == "[CLS]")
            #expect(tokens.last == "[SEP]")
            #expect((item["ids"] as? [Int])?.count == tokens.count)
            let offsets = try #require(item["offsets"] as? [[Int]])
            #expect(offsets.first == [0, 0])
            #expect(offsets.count == tokens.count)
        }
    }

    @Test func rerankOrdersTextsByCosine() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let texts = ["the weather is nice", "hello world", "something else entirely"]
            let r = try await client.send(
                .post, "/v1/rerank", key: fixture.readKey, json: ["model": "mini", "query": "hello world", "texts": texts])
            #expect(r.status == .ok)
            let results = try #require(try r.object()["results"] as? [[String: Any]])
            #expect(results.count == 3)
            #expect(results[0]["index"] as? Int == 1)  // the identical text
            #expect(abs((results[0]["score"] as? Double ?? 0) - 1) < 1e-4)
            let scores = results.compactMap { $0["score"] as? Double }
            #expect(scores == scores.sorted(by: >))
        }
    }

    @Test func errorsNameTheFieldOrModel() async throws {
        let fixture = try await ServerFixture { config in
            config.maxInputs = 3
            config.maxCharacters = 50
            config.maxBodyBytes = 2000
        }
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let key = fixture.readKey
            var r = try await client.send(.post, "/v1/embed", key: key, json: ["model": "nope", "inputs": ["x"]])
            #expect(r.status == .notFound)
            #expect(try r.apiError().code == "model_not_found")
            #expect(try r.apiError().message == "no model named \"nope\"")
            #expect(try r.apiError().field == "model")
            r = try await client.send(.post, "/v1/classify", key: key, json: ["model": "mini", "inputs": ["x"]])
            #expect(r.status == .badRequest)
            #expect(try r.apiError().code == "wrong_model_kind")
            r = try await client.send(.post, "/v1/embed", key: key, json: ["inputs": ["x"]])
            #expect(r.status == .badRequest)
            #expect(try r.apiError().field == "model")
            r = try await client.send(.post, "/v1/embed", key: key, json: ["model": "mini", "inputs": [1, 2]])
            #expect(r.status == .badRequest)
            #expect(try r.apiError().field?.hasPrefix("inputs") == true)
            r = try await client.send(.post, "/v1/embed", key: key, json: ["model": "mini", "inputs": ["a", "b", "c", "d"]])
            #expect(r.status == .badRequest)
            #expect(try r.apiError().field == "inputs")
            #expect(try r.apiError().message.contains("limit of 3"))
            r = try await client.send(
                .post, "/v1/embed", key: key, json: ["model": "mini", "inputs": ["ok", String(repeating: "x", count: 51)]])
            #expect(r.status == .badRequest)
            #expect(try r.apiError().field == "inputs[1]")
            r = try await client.send(.post, "/v1/embed", key: key, json: ["model": "mini", "inputs": []])
            #expect(try r.apiError().field == "inputs")
            r = try await client.send(.post, "/v1/embed", key: key, raw: "{not json")
            #expect(r.status == .badRequest)
            #expect(try r.apiError().field == "body")
            r = try await client.send(.post, "/v1/classify", key: key, json: ["model": "sentiment", "inputs": ["x"], "top_k": 0])
            #expect(try r.apiError().field == "top_k")
            r = try await client.send(
                .post, "/v1/embed", key: key, raw: "{\"model\": \"mini\", \"inputs\": [\"" + String(repeating: "x", count: 3000) + "\"]}")
            #expect(r.status == .contentTooLarge)
            #expect(try r.apiError().code == "payload_too_large")
        }
    }
}
