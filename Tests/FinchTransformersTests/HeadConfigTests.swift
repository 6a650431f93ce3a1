import FinchHubTestSupport
import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchTransformers

/// A fine-tuned folder whose head disagrees with its config is an error that
/// names the tensor and the config key, never a fresh random head (issue 10
/// item 1).
@Suite struct HeadConfigTests {
    static func weights(_ dir: URL) -> String { dir.appendingPathComponent("model.safetensors").path }

    @Test func classifierWithFewerLabelsThanHeadRowsIsAnError() throws {
        let dir = try MismatchedHeadFolder.make(from: "tiny-bert-seqcls", .fewerLabelsThanHeadRows(labels: 2))
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = FinchRNG(seed: 1)
        let expected = TaskHeadError.headMismatch(
            path: Self.weights(dir), tensor: "classifier.weight", shape: [3, 32], configKey: "id2label",
            expected: "2 rows, one per label")
        #expect(throws: expected) { try BertForSequenceClassification(contentsOf: dir, rng: &rng) }
        // Also when training asks for the config's own labels, or for new ones: the folder is inconsistent.
        #expect(throws: expected) { try BertForSequenceClassification(contentsOf: dir, labels: ["negative", "neutral"], rng: &rng) }
        #expect(throws: expected) { try BertForSequenceClassification(contentsOf: dir, labels: ["a", "b"], rng: &rng) }
        #expect(expected.description.contains("classifier.weight") && expected.description.contains("id2label"))
    }

    @Test func taggerWithFewerLabelsThanHeadRowsIsAnError() throws {
        let dir = try MismatchedHeadFolder.make(from: "tiny-bert-tokcls", .fewerLabelsThanHeadRows(labels: 4))
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = FinchRNG(seed: 1)
        #expect(
            throws: TaskHeadError.headMismatch(
                path: Self.weights(dir), tensor: "classifier.weight", shape: [5, 32], configKey: "id2label",
                expected: "4 rows, one per label")
        ) { try BertForTokenClassification(contentsOf: dir, rng: &rng) }
    }

    @Test func classifierConfigOverWeightsWithoutAHeadIsAnErrorWhenTheHeadIsNeeded() throws {
        for (fixture, count) in [("tiny-bert-seqcls", 3), ("tiny-bert-tokcls", 5)] {
            let dir = try MismatchedHeadFolder.make(from: fixture, .noHeadTensors)
            defer { try? FileManager.default.removeItem(at: dir) }
            var rng = FinchRNG(seed: 1)
            let expected = TaskHeadError.missingHead(
                path: Self.weights(dir), tensor: "classifier.weight", declared: "config.json `id2label` lists \(count) labels")
            if fixture == "tiny-bert-seqcls" {
                #expect(throws: expected) { try BertForSequenceClassification(contentsOf: dir, rng: &rng) }
                // Training a new head on the encoder is still possible.
                let fresh = try BertForSequenceClassification(contentsOf: dir, labels: ["x", "y"], rng: &rng)
                #expect(fresh.classifier.weight.shape == [2, 32])
            } else {
                #expect(throws: expected) { try BertForTokenClassification(contentsOf: dir, rng: &rng) }
            }
        }
    }

    @Test func halfAHeadIsAnError() throws {
        let dir = try MismatchedHeadFolder.make(from: "tiny-bert-seqcls", .noBias)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = FinchRNG(seed: 1)
        #expect(throws: TaskHeadError.incompleteHead(path: Self.weights(dir), missing: "classifier.bias")) {
            try BertForSequenceClassification(contentsOf: dir, rng: &rng)
        }
    }

    @Test func consistentFoldersStillLoadTheirHeads() throws {
        var rng = FinchRNG(seed: 1)
        let fixture = TestSupport.fixtureURL("tiny-bert-seqcls")
        let model = try BertForSequenceClassification(contentsOf: fixture, rng: &rng)
        let stored = try SafetensorsFile(contentsOf: fixture.appendingPathComponent("model.safetensors"))
        #expect(model.classifier.weight.value.scalars == (try stored.tensor(named: "classifier.weight")).scalars)
        let tagger = try BertForTokenClassification(contentsOf: TestSupport.fixtureURL("tiny-bert-tokcls"), rng: &rng)
        #expect(tagger.labels == ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])
    }
}
