import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

/// The tiny random BERT of `Scripts/make_bert_fixtures.py tiny` against the
/// outputs and gradients PyTorch computed for the same padded batch.
@Suite struct TinyBertParityTests {
    let fixture: TensorFixture
    let model: BertModel
    let input: BertInput

    init() throws {
        fixture = try TensorFixture.load("tiny_bert_reference.json")
        model = try BertModel(contentsOf: TestSupport.fixtureURL("tiny-bert"))
        let ids = try fixture.tensor("input_ids")
        input = BertInput(
            batchSize: ids.shape[0], sequenceLength: ids.shape[1], inputIDs: try fixture.ints("input_ids"),
            tokenTypeIDs: try fixture.ints("token_type_ids"),
            attentionMask: try fixture.ints("attention_mask"))
    }

    @Test func configMatchesTheFixture() {
        #expect(model.config.hiddenSize == 32 && model.config.numHiddenLayers == 2)
        #expect(model.config.numAttentionHeads == 4 && model.config.intermediateSize == 37)
        #expect(model.config.vocabSize == 99 && model.config.maxPositionEmbeddings == 41 && model.config.typeVocabSize == 3)
        #expect(model.pooler != nil)
        #expect(model.namedParameters().count == 39)
    }

    @Test func differentiablePathMatchesPyTorch() throws {
        let out = try withoutGradient { try model(input) }
        let hidden = try fixture.tensor("last_hidden_state")
        #expect(TestSupport.maxAbsDifference(out.lastHiddenState, hidden) < 2e-5)
        let pooled = try #require(out.poolerOutput)
        #expect(TestSupport.maxAbsDifference(pooled, try fixture.tensor("pooler_output")) < 2e-5)
    }

    @Test func inferencePathMatchesPyTorch() throws {
        let out = try model.inference(input)
        #expect(TestSupport.maxAbsDifference(out.lastHiddenState, try fixture.tensor("last_hidden_state")) < 2e-5)
        let pooled = try #require(out.poolerOutput)
        #expect(TestSupport.maxAbsDifference(pooled, try fixture.tensor("pooler_output")) < 2e-5)
    }

    @Test func paddingDoesNotChangeRealPositions() throws {
        let ids = try fixture.ints("input_ids"), types = try fixture.ints("token_type_ids")
        let mask = try fixture.ints("attention_mask")
        let s = input.sequenceLength
        for row in 0..<input.batchSize {
            let n = mask[(row * s)..<((row + 1) * s)].reduce(0, +)
            let single = BertInput(
                batchSize: 1, sequenceLength: n, inputIDs: Array(ids[(row * s)..<(row * s + n)]),
                tokenTypeIDs: Array(types[(row * s)..<(row * s + n)]))
            let expected = try fixture.tensor("single.\(row).last_hidden_state")
            #expect(TestSupport.maxAbsDifference(try model.inference(single).lastHiddenState, expected) < 2e-5)
            #expect(TestSupport.maxAbsDifference(try withoutGradient { try model(single) }.lastHiddenState, expected) < 2e-5)
        }
    }

    @Test func stepZeroGradientsMatchPyTorch() throws {
        model.zeroGrad()
        let out = try model(input)
        let loss =
            (out.lastHiddenState * (try fixture.tensor("r_hidden"))).sum()
            + (try #require(out.poolerOutput) * (try fixture.tensor("r_pooled"))).sum()
        #expect(abs(loss.item - (try fixture.tensor("loss")).item) < 1e-3)
        loss.backward()
        var worst: (String, Float) = ("", 0)
        for (name, parameter) in model.namedParameters() {
            let reference = try fixture.tensor("grad." + name)
            let grad = try #require(parameter.grad, "no gradient for \(name)")
            let scale = max(1, reference.scalars.map(abs).max() ?? 1)
            let d = TestSupport.maxAbsDifference(grad, reference) / scale
            if d > worst.1 { worst = (name, d) }
        }
        #expect(worst.1 < 1e-4, "worst gradient \(worst.0): relative difference \(worst.1)")
        model.zeroGrad()
    }

    @Test func workspaceIsReusedAcrossBatchShapes() throws {
        let workspace = BertWorkspace()
        let big = try model.inference(input, workspace: workspace)
        let capacity = workspace.capacity
        let small = BertInput(padding: [[2, 7, 3]])
        _ = try model.inference(small, workspace: workspace)
        #expect(workspace.capacity == capacity)
        let again = try model.inference(input, workspace: workspace)
        #expect(again.lastHiddenState.scalars == big.lastHiddenState.scalars)
    }
}
