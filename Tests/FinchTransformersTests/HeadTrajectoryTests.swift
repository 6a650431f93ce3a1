import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

/// Task heads against PyTorch (Scripts/make_head_fixtures.py): logits, loss and
/// every gradient at step 0, then the loss over 10 AdamW steps with warmup and clipping.
@Suite struct HeadTrajectoryTests {
    let fixture: TensorFixture
    init() throws { fixture = try TensorFixture.load("head_trajectories.json") }

    static let ids = [[2, 45, 17, 88, 3, 61, 9, 98, 33, 70, 3], [2, 5, 77, 3, 14, 3], [2, 3]]
    static let types = [[0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1], [0, 0]]
    static var input: BertInput { BertInput(padding: ids, tokenTypeIDs: types) }

    /// Runs 10 steps of the reference recipe; checks step-0 logits and gradients, then every loss.
    func checkTrajectory(model: any Module, prefix: String, loss: () throws -> (Tensor, Tensor)) throws {
        model.train()
        let params = model.trainableParameters()
        let optimizer = try AdamW(
            parameters: params, configuration: .init(learningRate: 5e-3, weightDecay: 0.01),
            noWeightDecay: WeightDecay.huggingFaceExemptions(in: model))
        let schedule = LearningRateSchedule.linearWithWarmup(warmupSteps: 3, trainingSteps: 10)
        let expected = try fixture.tensor("\(prefix).losses").scalars
        for step in 0..<10 {
            optimizer.zeroGrad()
            let (logits, l) = try loss()
            l.backward()
            if step == 0 {
                let ref = try fixture.tensor("\(prefix).logits")
                #expect(
                    TestSupport.isClose(logits.reshaped(ref.shape), ref, atol: 1e-5),
                    "logits: \(TestSupport.maxAbsDifference(logits.reshaped(ref.shape), ref))")
                for (name, p) in params {
                    let g = try fixture.tensor("\(prefix).grad.\(name)")
                    // A parameter the backward pass never reached fails here; it is not read as zeros.
                    let got = try #require(p.grad, "no gradient reached \(name)")
                    #expect(
                        TestSupport.isClose(got, g, atol: 2e-5, rtol: 1e-3),
                        "grad \(name): max diff \(TestSupport.maxAbsDifference(got, g))")
                }
            }
            _ = clipGradNorm(params, maxNorm: 1)
            optimizer.learningRate = 5e-3 * schedule.multiplier(atStep: step)
            optimizer.step()
            #expect(
                Swift.abs(l.item - expected[step]) < 2e-5 * Swift.max(1, Swift.abs(expected[step])),
                "step \(step): loss \(l.item) vs \(expected[step])")
        }
    }

    @Test func sequenceClassification() throws {
        var rng = FinchRNG(seed: 1)
        let model = try BertForSequenceClassification(contentsOf: TestSupport.fixtureURL("tiny-bert-seqcls"), rng: &rng)
        #expect(model.labels == ["negative", "neutral", "positive"])
        try checkTrajectory(model: model, prefix: "seq") {
            let logits = try model.logits(Self.input)
            return (logits, logits.crossEntropy(targets: [2, 0, 1]))
        }
    }

    @Test func tokenClassification() throws {
        var rng = FinchRNG(seed: 1)
        let model = try BertForTokenClassification(contentsOf: TestSupport.fixtureURL("tiny-bert-tokcls"), rng: &rng)
        #expect(model.labels == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])
        #expect(model.bert.pooler == nil)
        let labels = [[-100, 1, 2, 4, -100, 0, 3, 3, 1, 0, -100], [-100, 4, 4, 0, 2, -100], [-100, -100]]
            .flatMap { $0 + [Int](repeating: -100, count: 11 - $0.count) }
        try checkTrajectory(model: model, prefix: "tok") {
            let logits = try model.logits(Self.input)
            return (logits, logits.reshaped([-1, 5]).crossEntropy(targets: labels))
        }
    }

    @Test func savedHeadReloadsWithIdenticalLogits() throws {
        var rng = FinchRNG(seed: 1)
        let model = try BertForSequenceClassification(contentsOf: TestSupport.fixtureURL("tiny-bert-seqcls"), rng: &rng)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-head-\(UUID().uuidString)")
        try model.save(to: dir)
        let again = try BertForSequenceClassification(contentsOf: dir, rng: &rng)
        let a = try model.inferenceLogits(Self.input), b = try again.inferenceLogits(Self.input)
        #expect(a.scalars == b.scalars)
        // The training path and the inference path compute the same function.
        model.eval()
        #expect(TestSupport.maxAbsDifference(try withoutGradient { try model.logits(Self.input) }, a) < 1e-5)
        let config = try String(contentsOf: dir.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("\"BertForSequenceClassification\"") && config.contains("\"label2id\""))
        // A new label set gets a new head of the right size.
        let relabeled = try BertForSequenceClassification(contentsOf: dir, labels: ["a", "b"], rng: &rng)
        #expect(relabeled.classifier.weight.shape == [2, 32])
    }
}
