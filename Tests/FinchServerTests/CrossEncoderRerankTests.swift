import FinchApps
import FinchNN
import FinchServer
import FinchTensor
import FinchTestSupport
import FinchText
import FinchTransformers
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/rerank` and TEI's `/rerank` with a cross-encoder: a tiny random-weight BERT sequence
/// classifier with one label, whose scores are checked against a direct forward pass of each pair.
@Suite struct CrossEncoderRerankTests {
    static let query = "where is the station"
    static let texts = ["the station is north", "bananas are yellow", "where is it", "a quiet night in the city by the sea"]

    /// The tiny classifier's encoder (hidden 32, 2 layers, vocabulary 99, 41 positions) with a seeded
    /// one-label head (weights N(0, 1), so pairs score far apart) and the tiny WordPiece tokenizer.
    static func makeCrossEncoder(at dir: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let bert = try BertModel(
            contentsOf: TestSupport.fixtureURL("tiny-bert-seqcls"), options: .bert(ignoringKeyPrefixes: ["classifier."]))
        var rng = FinchRNG(seed: 12)
        let head = Linear(
            weight: Tensor.randomNormal([1, bert.config.hiddenSize], std: 1, rng: &rng), bias: Tensor(shape: [1], values: [0.25]))
        let model = try BertForSequenceClassification(bert: bert, labels: ["relevance"], classifier: head, rng: &rng)
        try model.save(to: dir)
        let vocab = TestSupport.fixtureURL("tiny-bert-wordpiece")
        for file in ["vocab.txt", "tokenizer_config.json"] {
            try fm.copyItem(at: vocab.appendingPathComponent(file), to: dir.appendingPathComponent(file))
        }
    }

    /// The logit of (query, text), computed alone through the differentiable (training) path.
    static func directLogit(_ dir: URL, query: String, text: String) throws -> Float {
        var rng = FinchRNG(seed: 0)
        let model = try BertForSequenceClassification(contentsOf: dir, rng: &rng)
        model.eval()
        let encoding = try Tokenizer.load(directory: dir).encode(query, pair: text)
        #expect(encoding.typeIDs.contains(1), "a pair has a second segment")
        let logits = try model.logits(BertInput(padding: [encoding.ids], tokenTypeIDs: [encoding.typeIDs]))
        #expect(logits.shape == [1, 1])
        return logits.scalars[0]
    }

    /// A server fixture with the cross-encoder registered as `cross`; `body` gets the fixture and the folder.
    static func withServer(_ body: (ServerFixture, URL) async throws -> Void) async throws {
        let folder = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dir = folder.appendingPathComponent("cross")
        try makeCrossEncoder(at: dir)
        let fixture = try await ServerFixture { $0.models.append(.init(name: "cross", path: dir.path)) }
        defer { fixture.remove() }
        try await body(fixture, dir)
    }

    @Test func aOneLabelSequenceClassifierIsRegisteredAsACrossEncoder() async throws {
        let folder = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.makeCrossEncoder(at: folder.appendingPathComponent("cross"))
        #expect(try ModelKind.detect(folder: folder.appendingPathComponent("cross")) == .crossEncoder)
        let classifier = try ServerFixture.modelFolders(in: folder).classifier  // three labels
        #expect(try ModelKind.detect(folder: classifier) == .classifier)
        try await Self.withServer { fixture, _ in
            try await fixture.app().test(.router) { client in
                let r = try await client.send(.get, "/v1/models", key: fixture.readKey)
                let models = try #require(try r.object()["models"] as? [[String: Any]])
                let cross = try #require(models.first { $0["name"] as? String == "cross" })
                #expect(cross["kind"] as? String == "cross-encoder")
                #expect(cross["max_length"] as? Int == 41)
            }
        }
    }

    @Test func rerankScoresArePairForwardPassesBestFirst() async throws {
        try await Self.withServer { fixture, dir in
            let logits = try Self.texts.map { try Self.directLogit(dir, query: Self.query, text: $0) }
            let expected = logits.map { 1 / (1 + exp(-Double($0))) }
            #expect(Set(expected.map { ($0 * 1000).rounded() }).count == Self.texts.count, "scores must differ: \(expected)")
            let order = expected.indices.sorted { expected[$0] > expected[$1] }
            try await fixture.app().test(.router) { client in
                let r = try await client.send(
                    .post, "/v1/rerank", key: fixture.readKey, json: ["model": "cross", "query": Self.query, "texts": Self.texts])
                #expect(r.status == .ok)
                let body = try r.object()
                #expect(body["model"] as? String == "cross")
                let results = try #require(body["results"] as? [[String: Any]])
                #expect(results.compactMap { $0["index"] as? Int } == order)
                for item in results {
                    let i = try #require(item["index"] as? Int), score = try #require(item["score"] as? Double)
                    #expect(abs(score - expected[i]) < 1e-5, "text \(i): \(score) vs \(expected[i])")
                }
                // One forward pass for the four pairs.
                #expect(r.headers[.init("x-batch-size")!] == "4")

                // TEI's /rerank picks the cross-encoder when no model is named; raw_scores gives the logits.
                let tei = try await client.send(
                    .post, "/rerank", key: fixture.readKey,
                    json: ["query": Self.query, "texts": Self.texts, "return_text": true, "raw_scores": true])
                #expect(tei.status == .ok)
                let ranks = try #require(try tei.json() as? [[String: Any]])
                #expect(ranks.compactMap { $0["index"] as? Int } == order)
                for rank in ranks {
                    let i = try #require(rank["index"] as? Int)
                    #expect(abs(try #require(rank["score"] as? Double) - Double(logits[i])) < 1e-4)
                    #expect(rank["text"] as? String == Self.texts[i])
                }
                let teiSigmoid = try await client.send(
                    .post, "/rerank", key: fixture.readKey, json: ["query": Self.query, "texts": Self.texts])
                let first = try #require((try teiSigmoid.json() as? [[String: Any]])?.first)
                #expect(abs(try #require(first["score"] as? Double) - expected[order[0]]) < 1e-5)
                #expect(first["text"] == nil)
            }
        }
    }

    @Test func anEmbedderStillRanksByCosineAndOtherKindsAreRefused() async throws {
        try await Self.withServer { fixture, _ in
            try await fixture.app().test(.router) { client in
                let e = try await client.send(
                    .post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": [Self.query] + Self.texts])
                let v = try #require(try e.object()["embeddings"] as? [[Double]])
                let cosines = v.dropFirst().map { t in zip(v[0], t).reduce(0) { $0 + $1.0 * $1.1 } }
                let r = try await client.send(
                    .post, "/v1/rerank", key: fixture.readKey, json: ["model": "mini", "query": Self.query, "texts": Self.texts])
                let results = try #require(try r.object()["results"] as? [[String: Any]])
                for item in results {
                    let i = try #require(item["index"] as? Int)
                    #expect(abs(try #require(item["score"] as? Double) - cosines[i]) < 1e-4)
                }
                let wrong = try await client.send(
                    .post, "/v1/rerank", key: fixture.readKey, json: ["model": "sentiment", "query": "q", "texts": ["t"]])
                #expect(wrong.status == .badRequest)
                let error = try wrong.apiError()
                #expect(error.code == "wrong_model_kind")
                #expect(error.field == "model")
                #expect(error.message.contains("not a cross-encoder or an embedder"))
            }
        }
    }

    @Test func aPairLongerThanThePositionsIsTruncatedAndReported() async throws {
        try await Self.withServer { fixture, _ in
            try await fixture.app().test(.router) { client in
                let long = Array(repeating: "station", count: 60).joined(separator: " ")
                let r = try await client.send(
                    .post, "/v1/rerank", key: fixture.readKey, json: ["model": "cross", "query": Self.query, "texts": ["short", long]])
                #expect(r.status == .ok)
                #expect(try r.object()["truncated"] as? [Int] == [1])
                #expect(r.headers[.init("x-truncated")!] == "1")
            }
        }
    }
}
