import FinchTestSupport
import Testing

@testable import FinchNN
@testable import FinchTensor

/// A two-level module to check dotted names: `encoder.layer.0.dense.weight`.
final class TinyBlock: Module {
    var isTraining = true
    let dense: Linear
    let norm: LayerNorm
    init(rng: inout FinchRNG) {
        dense = Linear(inFeatures: 5, outFeatures: 3, rng: &rng)
        norm = LayerNorm(dimension: 3)
    }
    var children: [(name: String, module: any Module)] { [("dense", dense), ("LayerNorm", norm)] }
    func callAsFunction(_ x: Tensor) -> Tensor { norm(dense(x)) }
}

final class TinyModel: Module {
    var isTraining = true
    let embeddings: Embedding
    let blocks: [TinyBlock]
    let dropout: Dropout
    init(seed: UInt64 = 1) {
        var rng = FinchRNG(seed: seed)
        embeddings = Embedding(count: 11, dimension: 5, rng: &rng)
        blocks = [TinyBlock(rng: &rng)]
        dropout = Dropout(probability: 0.5, rng: &rng)
    }
    var children: [(name: String, module: any Module)] {
        [("embeddings", embeddings), ("dropout", dropout)] + blocks.enumerated().map { ("encoder.layer.\($0.offset)", $0.element) }
    }
    func callAsFunction(_ ids: [Int]) -> Tensor { blocks[0](dropout(embeddings(ids, shape: [ids.count]))) }
}

@Suite struct ModuleTests {
    @Test func parametersCarryHuggingFaceKeys() {
        let m = TinyModel()
        #expect(
            m.namedParameters().map(\.name) == [
                "embeddings.weight", "encoder.layer.0.dense.weight", "encoder.layer.0.dense.bias",
                "encoder.layer.0.LayerNorm.weight", "encoder.layer.0.LayerNorm.bias",
            ])
        #expect(m.parameterCount == 55 + 15 + 3 + 3 + 3)
    }

    @Test func trainEvalReachesEveryModule() {
        let m = TinyModel()
        m.eval()
        #expect(!m.dropout.isTraining && !m.blocks[0].dense.isTraining)
        // Eval mode: dropout is the identity, so two calls agree.
        #expect(m([1, 2, 3]).scalars == m([1, 2, 3]).scalars)
        m.train()
        #expect(m.dropout.isTraining)
    }

    @Test func freezingStopsGradients() {
        let m = TinyModel()
        m.freeze(["embeddings."])
        #expect(m.trainableParameters().count == 4)
        let loss = m([1, 2]).sum()
        loss.backward()
        #expect(m.embeddings.weight.grad == nil)
        #expect(m.blocks[0].dense.weight.grad != nil)
    }

    @Test func strictLoadingNamesEveryProblem() throws {
        let m = TinyModel(seed: 1), other = TinyModel(seed: 2)
        var state = other.stateDict()
        try m.loadStateDict(state)
        #expect(m.blocks[0].dense.weight.value.scalars == other.blocks[0].dense.weight.value.scalars)

        state.removeValue(forKey: "encoder.layer.0.dense.bias")
        state["encoder.layer.0.extra"] = Tensor.zeros([2])
        state["embeddings.weight"] = Tensor.zeros([3, 5])
        state["embeddings.position_ids"] = Tensor.zeros([4])
        let before = m.embeddings.weight.value.scalars
        #expect(
            throws: StateDictError.mismatch(
                missing: ["encoder.layer.0.dense.bias"], unexpected: ["encoder.layer.0.extra"],
                misshapen: ["embeddings.weight: checkpoint [3, 5] vs model [11, 5]"])
        ) {
            try m.loadStateDict(state, ignoring: ["embeddings.position_ids"])
        }
        // Nothing was changed by the failed load.
        #expect(m.embeddings.weight.value.scalars == before)
        let message = String(describing: StateDictError.mismatch(missing: ["a"], unexpected: ["b"], misshapen: []))
        #expect(message.contains("missing keys: a") && message.contains("unexpected keys: b"))
    }

    @Test func loraAddsAdaptersMergesExactly() throws {
        let m = TinyModel()
        var rng = FinchRNG(seed: 9)
        let adapted = try m.applyLoRA(LoRAConfiguration(rank: 2, alpha: 4, dropout: 0, targetModules: ["dense"]), rng: &rng)
        #expect(adapted == ["encoder.layer.0.dense"])
        let names = m.trainableParameters().map(\.name)
        #expect(names == ["encoder.layer.0.dense.lora_A.weight", "encoder.layer.0.dense.lora_B.weight"])
        // Move B off zero so the adapter matters, then check merge keeps outputs.
        let up = m.blocks[0].dense.lora!.up.weight
        up.assign(Tensor.randomNormal(up.shape, rng: &rng))
        m.eval()
        let adaptedOut = m([4, 1, 7])
        m.mergeLoRA()
        #expect(m.blocks[0].dense.lora == nil)
        #expect(!m.namedParameters().map(\.name).contains { $0.contains("lora") })
        #expect(TestSupport.maxAbsDifference(m([4, 1, 7]), adaptedOut) < 1e-5)
        #expect(throws: LoRAError.self) { try m.applyLoRA(LoRAConfiguration(targetModules: ["nothing"]), rng: &rng) }
    }
}
