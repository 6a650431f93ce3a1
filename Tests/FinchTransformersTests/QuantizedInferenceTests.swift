import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

/// `BertModel.quantizeForInference`: the inference path runs every Linear
/// layer of the encoder and pooler in int8, within a stated tolerance of the
/// float model; the differentiable path stays float; removing it restores
/// the float results exactly.
@Suite(.serialized) struct QuantizedInferenceTests {
    static func model() throws -> BertModel {
        let config = BertConfig(
            vocabSize: 61, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4,
            intermediateSize: 67, hiddenAct: .gelu, maxPositionEmbeddings: 19, typeVocabSize: 2,
            initializerRange: 0.1)
        var rng = FinchRNG(seed: 3)
        return try BertModel(config: config, rng: &rng)
    }

    static let input = BertInput(padding: [[2, 9, 14, 33, 3], [2, 60, 3], [2, 1, 7, 8, 9, 10, 11, 3]])

    @Test func int8HiddenStatesStayCloseToFloat() throws {
        let model = try Self.model()
        let float = try model.inference(Self.input)
        #expect(model.quantizeForInference() == 2 * 6 + 1)  // six Linear layers per block, and the pooler
        #expect(model.isQuantizedForInference)
        let int8 = try model.inference(Self.input)
        let differentiable = try withoutGradient { try model(Self.input) }
        model.removeInferenceQuantization()
        #expect(!model.isQuantizedForInference)
        let back = try model.inference(Self.input)

        let d = TestSupport.maxAbsDifference(int8.lastHiddenState, float.lastHiddenState)
        // Stated tolerance: layer-normed hidden states (unit scale) within 0.1, and not equal (it did quantize).
        #expect(d > 1e-4 && d < 0.1, "int8 hidden states differ from float by \(d)")
        let rows = int8.lastHiddenState.shape[0] * int8.lastHiddenState.shape[1], h = 32
        let a = int8.lastHiddenState.storage.pointer, b = float.lastHiddenState.storage.pointer
        var worstCosine = 1.0
        for r in 0..<rows {
            var dot = 0.0, na = 0.0, nb = 0.0
            for j in 0..<h {
                dot += Double(a[r * h + j]) * Double(b[r * h + j])
                na += Double(a[r * h + j] * a[r * h + j])
                nb += Double(b[r * h + j] * b[r * h + j])
            }
            worstCosine = Swift.min(worstCosine, dot / (na * nb).squareRoot())
        }
        #expect(worstCosine > 0.999, "a token's int8 hidden state has cosine \(worstCosine) to the float one")
        if let p = int8.poolerOutput, let q = float.poolerOutput {
            #expect(TestSupport.maxAbsDifference(p, q) < 0.05)
        }
        // The differentiable path ignores the quantization; removing it gives the float results back (to the
        // float kernels' rounding: tests running beside this one may switch the kernel level in between).
        #expect(TestSupport.maxAbsDifference(differentiable.lastHiddenState, float.lastHiddenState) < 2e-5)
        #expect(TestSupport.maxAbsDifference(back.lastHiddenState, float.lastHiddenState) < 1e-5)
    }

    @Test func int8WeightsSurviveSaveAndLoad() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("finch-int8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.int8.safetensors")
        let source = try Self.model()
        #expect(throws: QuantizedCheckpointError.notQuantized(file: url.path)) { try source.saveInferenceQuantization(to: url) }
        source.quantizeForInference()
        let expected = try source.inference(Self.input)
        try source.saveInferenceQuantization(to: url)
        source.removeInferenceQuantization()

        // The file holds int8 values (I8, one byte each) and one F32 scale per output channel.
        let file = try SafetensorsFile(contentsOf: url)
        let query = try #require(file.info("encoder.layer.0.attention.self.query.weight_int8"))
        #expect(query.dtype == .int8 && query.shape == [32, 32] && query.dataOffsets.count == 32 * 32)
        #expect(file.info("encoder.layer.1.intermediate.dense.weight_scale")?.shape == [67])
        #expect(file.info("pooler.dense.weight_int8")?.dtype == .int8)

        // A fresh model with the same float weights runs the saved int8 weights: the same results, bit for bit.
        let target = try Self.model()
        #expect(try target.loadInferenceQuantization(from: url) == 13)
        let again = try target.inference(Self.input)
        #expect(again.lastHiddenState.storage.buffer.elementsEqual(expected.lastHiddenState.storage.buffer))

        // A model of another shape is refused, naming the file and the layer.
        let other = try BertModel(
            config: BertConfig(
                vocabSize: 61, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 67,
                hiddenAct: .gelu, maxPositionEmbeddings: 19, typeVocabSize: 2, initializerRange: 0.1),
            rng: &Self.rng)
        #expect(throws: QuantizedCheckpointError.self) { try other.loadInferenceQuantization(from: url) }
        #expect(!other.isQuantizedForInference)
    }

    nonisolated(unsafe) static var rng = FinchRNG(seed: 9)
}
