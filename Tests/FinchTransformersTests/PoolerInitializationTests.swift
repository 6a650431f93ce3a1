import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

/// A sequence classifier on a checkpoint saved without a pooler (issue 9
/// item 4), against `BertForSequenceClassification.from_pretrained` on the
/// same pooler-less checkpoint (Scripts/make_pooler_init_fixture.py).
///
/// torch's generator cannot be reproduced, so the two halves are checked
/// apart: Finch's new pooler is drawn from the reference's distribution
/// (normal(0, initializer_range²) weight, zero bias), and with the pooler and
/// classifier that transformers drew loaded into Finch's model, logits, loss
/// and the head's gradients equal the reference's.
@Suite struct PoolerInitializationTests {
    let fixture: TensorFixture
    init() throws { fixture = try TensorFixture.load("pooler_init.json") }

    static let ids = [[2, 45, 17, 88, 3, 61, 9, 98, 33, 70, 3], [2, 5, 77, 3, 14, 3], [2, 3]]
    static let types = [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1], [0, 0]]
    static var input: BertInput { BertInput(padding: ids, tokenTypeIDs: types) }

    /// tiny-bert saved without its pooler, in a new temporary folder.
    static func poolerlessCheckpoint() throws -> URL {
        let original = try BertModel(contentsOf: TestSupport.fixtureURL("tiny-bert"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-nopooler-\(UUID().uuidString)")
        try Checkpoint.save(config: original.config, state: original.stateDict().filter { !$0.key.hasPrefix("pooler.") }, to: dir)
        return dir
    }

    @Test func aMissingPoolerIsDrawnAsTransformersDrawsIt() throws {
        let dir = try Self.poolerlessCheckpoint()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = FinchRNG(seed: 42)
        let model = try BertForSequenceClassification(contentsOf: dir, labels: ["a", "b", "c"], rng: &rng)
        #expect(model.initializedPooler && model.pooling == .pooler)
        let pooler = try #require(model.bert.pooler)
        let weight = pooler.dense.weight.value.scalars
        let mean = weight.reduce(0, +) / Float(weight.count)
        let std = (weight.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(weight.count)).squareRoot()
        // 1,024 draws: the sample standard deviation is within 5 % of 0.02 with overwhelming probability.
        #expect(Swift.abs(std - 0.02) < 0.001 && Swift.abs(mean) < 0.002, "std \(std), mean \(mean)")
        #expect(pooler.dense.bias?.value.scalars.allSatisfy { $0 == 0 } == true)
        let reference = try fixture.tensor("pooler.dense.weight").scalars
        let referenceStd = (reference.map { $0 * $0 }.reduce(0, +) / Float(reference.count)).squareRoot()
        #expect(Swift.abs(std - referenceStd) < 0.0015, "Finch \(std), transformers \(referenceStd)")
        // The same seed draws the same pooler.
        var again = FinchRNG(seed: 42)
        let twin = try BertForSequenceClassification(contentsOf: dir, labels: ["a", "b", "c"], rng: &again)
        #expect(twin.bert.pooler?.dense.weight.value.scalars == weight)
    }

    @Test func withTheReferencePoolerLogitsLossAndGradientsMatch() throws {
        let dir = try Self.poolerlessCheckpoint()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = FinchRNG(seed: 1)
        let model = try BertForSequenceClassification(contentsOf: dir, labels: ["a", "b", "c"], rng: &rng)
        var state = model.stateDict()
        for name in ["pooler.dense.weight", "pooler.dense.bias"] { state["bert." + name] = try fixture.tensor(name) }
        for name in ["classifier.weight", "classifier.bias"] { state[name] = try fixture.tensor(name) }
        try model.loadStateDict(state)
        model.eval()
        let logits = try model.logits(Self.input)
        let loss = logits.crossEntropy(targets: [2, 0, 1])
        loss.backward()
        let expected = try fixture.tensor("logits")
        #expect(TestSupport.isClose(logits, expected, atol: 1e-5), "logits: \(TestSupport.maxAbsDifference(logits, expected))")
        #expect(Swift.abs(loss.item - (try fixture.tensor("loss")).scalars[0]) < 1e-5)
        let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.parameter) })
        for (name, key) in [("bert.pooler.dense.weight", "grad.pooler.dense.weight"), ("classifier.weight", "grad.classifier.weight")] {
            let grad = try #require(parameters[name]?.grad, "no gradient reached \(name)")
            let want = try fixture.tensor(key)
            #expect(TestSupport.isClose(grad, want, atol: 2e-5, rtol: 1e-3), "\(name): \(TestSupport.maxAbsDifference(grad, want))")
        }
        // The inference path computes the same logits.
        #expect(TestSupport.maxAbsDifference(try model.inferenceLogits(Self.input), expected) < 1e-5)
    }

    @Test func savedWithTheNewPoolerAndReloadedAsIs() throws {
        let dir = try Self.poolerlessCheckpoint()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("finch-pooled-\(UUID().uuidString)")
        defer { for d in [dir, out] { try? FileManager.default.removeItem(at: d) } }
        var rng = FinchRNG(seed: 3)
        let model = try BertForSequenceClassification(contentsOf: dir, labels: ["a", "b"], rng: &rng)
        try model.save(to: out)
        let config = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as? [String: Any])
        #expect((config[ClassifierPooling.initializationKey] as? String)?.contains("normal(0, 0.02") == true)
        #expect(config[ClassifierPooling.configKey] == nil)  // BERT's pooler: a plain BertForSequenceClassification
        let reloaded = try BertForSequenceClassification(contentsOf: out, rng: &rng)
        #expect(!reloaded.initializedPooler)
        #expect(try reloaded.inferenceLogits(Self.input).scalars == (try model.inferenceLogits(Self.input)).scalars)
    }

    @Test func clsAndMeanPoolingUseNoPooler() throws {
        let dir = try Self.poolerlessCheckpoint()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = FinchRNG(seed: 5)
        for pooling in [ClassifierPooling.cls, .mean] {
            // With or without a pooler in the checkpoint, these heads have none.
            for source in [dir, TestSupport.fixtureURL("tiny-bert")] {
                let model = try BertForSequenceClassification(contentsOf: source, labels: ["a", "b"], pooling: pooling, rng: &rng)
                #expect(model.bert.pooler == nil && !model.initializedPooler)
                model.eval()
                let hidden = try model.bert.inference(Self.input).lastHiddenState  // [3, 11, 32]
                let pooled = Pooling(config: PoolingConfig(embeddingDimension: 32, modes: [pooling == .cls ? .cls : .mean]))(
                    hidden, attentionMask: Self.input.resolvedAttentionMask)
                let expected = withoutGradient { model.classifier(pooled) }
                #expect(TestSupport.maxAbsDifference(try model.inferenceLogits(Self.input), expected) < 1e-6)
                #expect(TestSupport.maxAbsDifference(try withoutGradient { try model.logits(Self.input) }, expected) < 1e-5)
            }
        }
    }

    @Test func aFineTunedHeadNeverGetsANewPooler() throws {
        let dir = try Self.poolerlessCheckpoint()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("finch-cls-\(UUID().uuidString)")
        defer { for d in [dir, out] { try? FileManager.default.removeItem(at: d) } }
        var rng = FinchRNG(seed: 7)
        try BertForSequenceClassification(contentsOf: dir, labels: ["a", "b"], pooling: .cls, rng: &rng).save(to: out)
        // Its config says cls, so it loads as it was trained ...
        #expect(try BertForSequenceClassification(contentsOf: out, rng: &rng).pooling == .cls)
        // ... and asked to read a pooler it does not have, it is an error, not a random pooler.
        #expect(throws: TaskHeadError.missingPooler(path: out.appendingPathComponent("model.safetensors").path)) {
            try BertForSequenceClassification(contentsOf: out, pooling: .pooler, rng: &rng)
        }
    }
}
