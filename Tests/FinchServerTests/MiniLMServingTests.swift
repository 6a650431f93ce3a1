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
}
