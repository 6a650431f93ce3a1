import FinchApps
import FinchServer
import FinchTestSupport
import FinchTransformers
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The real all-MiniLM-L6-v2 served: the folder is recognised as an embedder,
/// and `/v1/embed` gives the vectors `finch embed` gives (TextEmbedder), one
/// request or many at once.
@Suite struct MiniLMServingTests {
    @Test func servedVectorsEqualTheLibrarys() async throws {
        let dir = try TestSupport.miniLMDirectory()
        #expect(try ModelKind.detect(folder: dir) == .embedder)
        let texts = ["How do I reset my password?", "I forgot my password", "What are your opening hours?", "Hello, world!"]
        let reference = try TextEmbedder(directory: dir).embed(texts)
        let fixture = try await ServerFixture { config in config.models = [.init(name: "minilm", path: dir.path)] }
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            let r = try await client.send(.post, "/v1/embed", key: fixture.readKey, json: ["model": "minilm", "inputs": texts])
            #expect(r.status == .ok)
            let vectors = try #require(try r.object()["embeddings"] as? [[Double]])
            #expect(vectors.count == 4 && vectors[0].count == 384)
            let p = reference.storage.pointer
            for (i, v) in vectors.enumerated() {
                let worst = v.indices.map { abs(v[$0] - Double(p[i * 384 + $0])) }.max()!
                #expect(worst < 1e-5, "text \(i) differs by \(worst)")
            }
            let models = try await client.send(.get, "/v1/models", key: fixture.readKey)
            let item = try #require((try models.object()["models"] as? [[String: Any]])?.first)
            #expect(item["dimension"] as? Int == 384)
            #expect(item["max_length"] as? Int == 256)
        }
    }

    /// A collection embedded with one version keeps working (an error, not a crash) after a version of
    /// another width is activated.
    @Test func collectionOfAnotherWidthIsAConflict() async throws {
        let dir = try TestSupport.miniLMDirectory()
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            #expect(try await client.send(.put, "/v1/collections/faq", key: fixture.writeKey, json: ["model": "mini"]).status == .created)
            let add = try await client.send(
                .post, "/v1/collections/faq/entries", key: fixture.writeKey, json: ["entries": [["id": "a", "text": "hello"]]])
            #expect(add.status == .ok)
            let swap = try await client.send(.post, "/v1/models", key: fixture.adminKey, json: ["name": "mini", "path": dir.path])
            #expect(swap.status == .created)
            let r = try await client.send(.post, "/v1/search", key: fixture.readKey, json: ["collection": "faq", "query": "hello"])
            #expect(r.status == .conflict)
            #expect(try r.apiError().code == "dimension_mismatch")
            #expect(try r.apiError().message.contains("holds vectors of 32 values but its model now gives 384"))
            let more = try await client.send(
                .post, "/v1/collections/faq/entries", key: fixture.writeKey, json: ["entries": [["id": "b", "text": "bye"]]])
            #expect(more.status == .conflict)
        }
    }
}
