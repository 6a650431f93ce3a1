import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

@Suite struct PoolingTests {
    @Test func meanMaxClsMatchTheReference() throws {
        let f = try TensorFixture.load("tiny_bert_reference.json")
        let hidden = try f.tensor("last_hidden_state"), mask = try f.ints("attention_mask")
        func pool(_ modes: [PoolingMode]) -> Tensor {
            Pooling(config: PoolingConfig(embeddingDimension: 32, modes: modes))(hidden, attentionMask: mask)
        }
        #expect(TestSupport.maxAbsDifference(pool([.mean]), try f.tensor("mean_pooled")) < 1e-6)
        #expect(TestSupport.maxAbsDifference(pool([.max]), try f.tensor("max_pooled")) < 1e-6)
        #expect(TestSupport.maxAbsDifference(pool([.cls]), try f.tensor("cls_pooled")) < 1e-6)
        #expect(TestSupport.maxAbsDifference(pool([.mean]).l2Normalized(), try f.tensor("mean_pooled_normalized")) < 1e-6)
        let both = pool([.cls, .mean])
        #expect(both.shape == [3, 64])
        #expect(both.slice(axis: 1, 32..<64).scalars == pool([.mean]).scalars)
    }

    @Test func positionalModesByHand() {
        // One row of 4 positions, width 1: values 1, 2, 3, 4; positions 0 and 3 are padding.
        let hidden = Tensor(shape: [1, 4, 1], values: [1, 2, 3, 4])
        let mask = [0, 1, 1, 0]
        func pool(_ mode: PoolingMode) -> Float {
            Pooling(config: PoolingConfig(embeddingDimension: 1, modes: [mode]))(hidden, attentionMask: mask).item
        }
        #expect(pool(.cls) == 2)  // first attended position
        #expect(pool(.lastToken) == 3)
        #expect(pool(.mean) == 2.5)
        #expect(abs(pool(.meanSqrtLenTokens) - 5 / Float(2).squareRoot()) < 1e-6)
        #expect(abs(pool(.weightedMean) - (1 * 2 + 2 * 3) / Float(3)) < 1e-6)  // weights 1, 2 from the first attended token
        #expect(pool(.max) == 3)
        let empty = Pooling(config: PoolingConfig(embeddingDimension: 1, modes: [.mean, .lastToken]))(hidden, attentionMask: [0, 0, 0, 0])
        #expect(empty.scalars == [0, 0])
    }

    @Test func poolingIsDifferentiable() {
        let hidden = Tensor(shape: [2, 3, 2], values: (0..<12).map { Float($0) / 5 })
        let worst = TestSupport.gradientCheck([hidden]) { x in
            Pooling(config: PoolingConfig(embeddingDimension: 2, modes: [.mean, .max, .cls]))(x[0], attentionMask: [1, 1, 0, 1, 1, 1])
                .l2Normalized().sum()
        }
        #expect(worst < 1e-2)
    }

    @Test func embedderErrorsNameTheInput() throws {
        let embedder = SentenceEmbedder(model: try InferencePathTests.model(.gelu), maxSequenceLength: 6)
        #expect(embedder.dimension == 20 && embedder.maxSequenceLength == 6)
        #expect(throws: SentenceEmbeddingError.sequenceTooLong(index: 1, length: 7, maximum: 6)) {
            try embedder.embed(tokenIDs: [[2, 3], [2, 4, 4, 4, 4, 4, 3]])
        }
        #expect(throws: SentenceEmbeddingError.tokenIDOutOfRange(index: 2, position: 1, id: -1, vocabSize: 61)) {
            try embedder.embed(tokenIDs: [[2, 3], [2, 3], [2, -1, 3]])
        }
        #expect(throws: SentenceEmbeddingError.lengthMismatch(index: 0, field: "attention mask", count: 1, tokens: 2)) {
            try embedder.embed(tokenIDs: [[2, 3]], attentionMasks: [[1]])
        }
        #expect(throws: SentenceEmbeddingError.countMismatch(field: "tokenTypeIDs", count: 0, expected: 1)) {
            try embedder.embed(tokenIDs: [[2, 3]], tokenTypeIDs: [])
        }
        #expect(try embedder.embed(tokenIDs: []).shape == [0, 20])
        #expect(throws: SentenceEmbeddingError.invalidBatchSize(0)) { try embedder.embed(tokenIDs: [[2, 3]], batchSize: 0) }
    }

    @Test func embedOrderAndBatchingDoNotChangeVectors() throws {
        let embedder = SentenceEmbedder(model: try InferencePathTests.model(.gelu), normalizes: true)
        let ids: [[Int]] = (0..<11).map { i in [2] + (0..<(i % 5 + 1)).map { ($0 * 7 + i) % 50 + 5 } + [3] }
        let all = try embedder.embed(tokenIDs: ids, batchSize: 4)
        for (i, seq) in ids.enumerated() {
            let alone = try embedder.embed(tokenIDs: [seq])
            #expect(TestSupport.maxAbsDifference(all.slice(axis: 0, i..<(i + 1)), alone) < 1e-5)
        }
        let norms = (0..<11).map { i in all.slice(axis: 0, i..<(i + 1)).squared().sum().item }
        #expect(norms.allSatisfy { abs($0 - 1) < 1e-5 })
    }
}
