import FinchNN
import FinchTensor
import FinchTestSupport
import FinchText
import FinchTransformers
import Foundation
import Testing

@testable import FinchTrain

/// MultipleNegativesRankingLoss against sentence-transformers' own loss
/// (Scripts/make_mnrl_fixture.py), the no-duplicate batches, and contrastive
/// fine-tuning of the tiny embedder on a handful of query → question pairs.
@Suite struct ContrastiveTests {
    @Test(arguments: ["batch5", "tie3"])
    func lossAndGradientsMatchTheReference(name: String) throws {
        let fixture = try TensorFixture.load("mnrl_loss.json")
        #expect(fixture.meta["scale"] == "20.0" && fixture.meta["similarity"] == "cosine")
        let anchors = try fixture.tensor("\(name).anchors").requiringGrad()
        let positives = try fixture.tensor("\(name).positives").requiringGrad()
        let loss = MultipleNegativesRankingLoss()(anchors: anchors, positives: positives)
        let expected = try fixture.tensor("\(name).loss").item
        // Float32 against a float64 reference: the scores reach ±20, so allow 1e-5 relative.
        #expect(Swift.abs(loss.item - expected) < 1e-5 * Swift.max(1, Swift.abs(expected)), "\(loss.item) vs \(expected)")
        loss.backward()
        for (tensor, key) in [(anchors, "gradAnchors"), (positives, "gradPositives")] {
            let grad = try #require(tensor.grad)
            let reference = try fixture.tensor("\(name).\(key)")
            #expect(TestSupport.isClose(grad, reference, atol: 2e-5), "\(key): max diff \(TestSupport.maxAbsDifference(grad, reference))")
        }
    }

    @Test func theGradientMatchesFiniteDifferences() {
        var rng = FinchRNG(seed: 5)
        let a = Tensor.randomNormal([4, 6], std: 1, rng: &rng), p = Tensor.randomNormal([4, 6], std: 1, rng: &rng)
        // Scale 2 keeps the float32 finite differences (step 1e-2) accurate; the scale-20 case is the fixture's.
        let loss = MultipleNegativesRankingLoss(scale: 2)
        #expect(TestSupport.gradientCheck([a, p]) { loss(anchors: $0[0], positives: $0[1]) } < 2e-2)
    }

    @Test func batchesNeverHoldATextTwice() {
        // Five queries of one entry, three of another, two of a third: the false negatives NoDuplicates avoids.
        var pairs: [ContrastivePair] = []
        for i in 0..<5 { pairs.append(ContrastivePair(anchor: "a\(i)", positive: "question A")) }
        for i in 0..<3 { pairs.append(ContrastivePair(anchor: "b\(i)", positive: "question B")) }
        pairs.append(ContrastivePair(anchor: "c0", positive: "question C"))
        pairs.append(ContrastivePair(anchor: "question A", positive: "question C"))
        let batches = ContrastivePairBatches.batches(pairs, batchSize: 3, seed: 7)
        #expect(batches.flatMap { $0 }.sorted() == Array(pairs.indices))
        for batch in batches {
            #expect(batch.count <= 3)
            let texts = batch.flatMap { [pairs[$0].anchor, pairs[$0].positive] }
            #expect(Set(texts).count == texts.count, "\(texts)")
        }
        #expect(batches.count >= 5, "five pairs share question A")
        #expect(ContrastivePairBatches.batches(pairs, batchSize: 3, seed: 7) == batches)
        let distinct = (0..<10).map { ContrastivePair(anchor: "q\($0)", positive: "p\($0)") }
        #expect(ContrastivePairBatches.batches(distinct, batchSize: 4, seed: 1).map(\.count) == [4, 4, 2])
    }

    /// Queries paired with questions they share no word with, so only training can match them.
    static let pairs = [
        ContrastivePair(anchor: "john visited paris", positive: "the plot is boring"),
        ContrastivePair(anchor: "mary works for acme corp", positive: "the actor was great"),
        ContrastivePair(anchor: "smith met john in london", positive: "i hate the story"),
        ContrastivePair(anchor: "berlin is fun", positive: "the film was awful"),
        ContrastivePair(anchor: "mary visited berlin", positive: "a very good movie"),
        ContrastivePair(anchor: "acme corp works in paris", positive: "not a bad plot"),
    ]

    /// How many queries have their own question as the nearest (cosine) among all the questions.
    static func hitsAtOne(_ folder: URL) throws -> Int {
        let embedder = try TextEmbedder(directory: folder)
        let q = try embedder.embed(pairs.map(\.anchor)).l2Normalized()
        let p = try embedder.embed(pairs.map(\.positive)).l2Normalized()
        return zip(q.matmul(p, transposeB: true).argmax(axis: 1), 0...).filter { $0 == $1 }.count
    }

    @Test func fineTuningOnAHandfulOfPairsLowersTheLossAndRetrievesThem() throws {
        let base = try EmbeddingDistillationTests.teacherFolder()
        let out = temporaryDirectory().appendingPathComponent("tuned")
        var settings = ContrastiveFineTuning.Settings()
        settings.epochs = 100
        settings.learningRate = 5e-3  // the tiny random encoder needs far more than the 2e-5 of a pretrained one
        var losses: [Double] = []
        let summary = try ContrastiveFineTuning.fineTune(
            embedderDirectory: base, pairs: Self.pairs, settings: settings, outputDirectory: out
        ) { event in
            if case .step(let p) = event { losses.append(p.loss) }
        }
        #expect(summary.steps == 100, "6 pairs make one batch of 16 per epoch")
        #expect(losses.count == 100)
        let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(5).reduce(0, +) / 5
        #expect(last < first * 0.5, "loss \(first) → \(last)")
        let before = try Self.hitsAtOne(base), after = try Self.hitsAtOne(out)
        #expect(before <= 3, "the untrained encoder should not already match the arbitrary pairs (\(before) of 6)")
        #expect(after > before && after >= 5, "hit@1 \(before) → \(after) of 6")
        // The result is an embedder as the base was: pooling, normalization, length, tokenizer.
        let tuned = try SentenceEmbedder(contentsOf: out), original = try SentenceEmbedder(contentsOf: base)
        #expect(tuned.normalizes && tuned.pooling.config == original.pooling.config && tuned.maxSequenceLength == 24)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("vocab.txt").path))
    }

    @Test func theTaskEvaluatesInBatchRetrieval() throws {
        let task = try ContrastiveFineTuning.task(
            embedderDirectory: EmbeddingDistillationTests.teacherFolder(), settings: ContrastiveFineTuning.Settings())
        let batches = try task.encode(Self.pairs, batchSize: 4, seed: 3)
        #expect(batches.map(\.anchors.count) == [4, 2])
        task.model.eval()
        let result = try task.evaluate(batches)
        let loss = try #require(result.metrics["loss"]), hit = try #require(result.metrics["hit_at_1"])
        #expect(loss > 0 && (0...1).contains(hit))
        #expect(result.report.hasPrefix("6 pairs in 2 batches: loss "))
        #expect(throws: TrainingError.emptyTrainingSet) {
            try ContrastiveFineTuning.fineTune(
                embedderDirectory: EmbeddingDistillationTests.teacherFolder(), pairs: [], settings: ContrastiveFineTuning.Settings(),
                outputDirectory: temporaryDirectory())
        }
    }
}
