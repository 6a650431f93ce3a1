import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

/// Real all-MiniLM-L6-v2 weights against sentence-transformers' embeddings of
/// 60 sentences (`Scripts/make_bert_fixtures.py minilm`), from the token ids
/// Hugging Face's tokenizer produced, so this needs no Finch tokenizer.
@Suite struct MiniLMParityTests {
    let fixture: TensorFixture
    let sentences: [[Int]]
    let reference: Tensor

    init() throws {
        fixture = try TensorFixture.load("minilm_embeddings.json")
        let ids = try fixture.ints("token_ids"), lengths = try fixture.ints("lengths")
        var start = 0
        var sentences: [[Int]] = []
        for n in lengths {
            sentences.append(Array(ids[start..<(start + n)]))
            start += n
        }
        #expect(start == ids.count)
        self.sentences = sentences
        reference = try fixture.tensor("embeddings")
    }

    @Test func folderSettingsAreHonoured() throws {
        let folder = try SentenceTransformersFolder(contentsOf: try TestSupport.miniLMDirectory())
        #expect(folder.pooling == PoolingConfig(embeddingDimension: 384, modes: [.mean]))
        #expect(folder.normalizes)
        #expect(folder.maxSequenceLength == 256)
        #expect(folder.transformerDirectory.standardizedFileURL == folder.root.standardizedFileURL)
    }

    @Test func embeddingsMatchSentenceTransformers() throws {
        let embedder = try SentenceEmbedder(contentsOf: try TestSupport.miniLMDirectory())
        #expect(embedder.dimension == 384 && embedder.normalizes && embedder.maxSequenceLength == 256)
        #expect(sentences.count >= 50)
        #expect(Set(sentences.map(\.count)).count > 20, "mixed lengths need padding inside batches")
        for (batchSize, sort) in [(16, true), (7, false)] {
            let got = try embedder.embed(tokenIDs: sentences, batchSize: batchSize, sortByLength: sort)
            #expect(got.shape == reference.shape)
            let maxDiff = TestSupport.maxAbsDifference(got, reference)
            #expect(maxDiff < 1e-4, "batch \(batchSize), sorted \(sort): max abs difference \(maxDiff)")
            let worstCosine = Self.cosines(got, reference).min() ?? 0
            #expect(worstCosine >= 0.99999, "batch \(batchSize): worst cosine \(worstCosine)")
        }
    }

    @Test func differentiablePathAgreesOnRealWeights() throws {
        let model = try BertModel(contentsOf: try TestSupport.miniLMDirectory())
        let batch = BertInput(padding: Array(sentences.prefix(6)))
        let fast = try model.inference(batch)
        let slow = try withoutGradient { try model(batch) }
        #expect(TestSupport.maxAbsDifference(fast.lastHiddenState, slow.lastHiddenState) < 1e-4)
        let pooledFast = try #require(fast.poolerOutput), pooledSlow = try #require(slow.poolerOutput)
        #expect(TestSupport.maxAbsDifference(pooledFast, pooledSlow) < 1e-5)
    }

    static func cosines(_ a: Tensor, _ b: Tensor) -> [Float] {
        let n = a.shape[0], d = a.shape[1]
        let x = a.scalars, y = b.scalars
        return (0..<n).map { i in
            var dot: Float = 0, nx: Float = 0, ny: Float = 0
            for j in 0..<d {
                dot += x[i * d + j] * y[i * d + j]
                nx += x[i * d + j] * x[i * d + j]
                ny += y[i * d + j] * y[i * d + j]
            }
            return dot / (nx.squareRoot() * ny.squareRoot())
        }
    }
}
