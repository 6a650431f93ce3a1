import FinchTensor
import Foundation
import Testing

@testable import FinchApps

@Suite struct CalibrationTests {
    @Test func logisticFitRecoversKnownCoefficients() {
        var rng = FinchRNG(seed: 21)
        let w = [2.0, -1.5, 0.5], b = 0.3
        var x: [[Double]] = []
        var y: [Bool] = []
        for _ in 0..<20_000 {
            let row = (0..<3).map { _ in Double(rng.nextUniform()) * 4 - 2 }
            let p = LogisticRegression(weights: w, bias: b).probability(row)
            x.append(row)
            y.append(Double(rng.nextUniform()) < p)
        }
        let fit = LogisticRegression.fit(x, labels: y, l2: 1e-6)
        for j in 0..<3 { #expect(Swift.abs(fit.weights[j] - w[j]) < 0.1, "w\(j) = \(fit.weights[j])") }
        #expect(Swift.abs(fit.bias - b) < 0.1, "b = \(fit.bias)")
        // One class only: the penalty keeps it finite and the probabilities on the right side.
        let one = LogisticRegression.fit([[0.1], [0.5], [0.9]], labels: [true, true, true])
        #expect(one.bias.isFinite && one.probability([0.5]) > 0.9)
    }

    @Test func handoffDecisionsAtTheBoundaries() {
        let policy = HandoffPolicy(threshold: 0.6, ambiguityMargin: 0.05)
        #expect(policy.decide(confidence: 0.6, margin: 0.05) == nil)  // equal to the bound: answered
        #expect(policy.decide(confidence: 0.5999, margin: 0.5) == .lowConfidence(confidence: 0.5999, threshold: 0.6))
        #expect(policy.decide(confidence: 0.9, margin: 0.0499) == .ambiguous(margin: 0.0499, minimum: 0.05))
        #expect(policy.decide(confidence: 0.1, margin: 0.0) == .lowConfidence(confidence: 0.1, threshold: 0.6))
        #expect(policy.decide(confidence: 0.9, margin: nil) == .noMatch)
        #expect(
            HandoffReason.lowConfidence(confidence: 0.31234, threshold: 0.5).description == "confidence 0.312 is below the threshold 0.5")
    }

    @Test func lowestThresholdReachingTheTargetAccuracy() {
        // Sorted by confidence: 0.9 ✓, 0.8 ✓, 0.7 ✗, 0.6 ✓, 0.5 ✗, 0.4 ✗.
        let c = [0.5, 0.9, 0.7, 0.4, 0.8, 0.6], right = [false, true, false, false, true, true]
        // Accuracy of the answered: ≥0.9 → 1, ≥0.8 → 1, ≥0.7 → 2/3, ≥0.6 → 3/4, ≥0.5 → 3/5, ≥0.4 → 1/2.
        #expect(AssistantCalibrator.lowestThreshold(confidences: c, correct: right, targetAccuracy: 0.9) == 0.8)
        #expect(AssistantCalibrator.lowestThreshold(confidences: c, correct: right, targetAccuracy: 0.75) == 0.6)
        #expect(AssistantCalibrator.lowestThreshold(confidences: c, correct: right, targetAccuracy: 0.5) == 0.4)
        #expect(AssistantCalibrator.lowestThreshold(confidences: [0.3], correct: [false], targetAccuracy: 0.9) == 1)
    }

    @Test func heldOutPlanRemovesWhatItAsks() {
        let collection = FAQCollection(
            entries: (0..<20).map {
                FAQEntry(id: "\($0)", question: "q\($0)", answers: ["a\($0)"], alternatives: $0 % 2 == 0 ? ["alt\($0)", "other\($0)"] : [])
            })
        let texts = FAQText.texts(of: collection, answers: true)
        let (keep, queries) = AssistantCalibrator.plan(texts: texts, entryCount: 20, options: CalibrationOptions())
        #expect(queries.count == 2 + 6)  // 10% removed whole, 30% lose one text
        let removed = queries.filter { $0.expected == nil }.map { texts[$0.text].entry }
        #expect(removed.count == 2)
        for e in removed { #expect(texts.indices.filter { texts[$0].entry == e }.allSatisfy { !keep[$0] }) }
        for q in queries where q.expected != nil {
            let e = texts[q.text].entry
            #expect(q.expected == e && !keep[q.text])
            #expect(texts[q.text].kind == (collection.entries[e].alternatives.isEmpty ? .question : .alternative))
            #expect(texts.indices.filter { texts[$0].entry == e && !keep[$0] }.count == 1)
        }
        #expect(keep.filter { !$0 }.count == texts.filter { removed.contains($0.entry) }.count + 6)
        let again = AssistantCalibrator.plan(texts: texts, entryCount: 20, options: CalibrationOptions())
        #expect(again.queries == queries)
    }

    /// On a collection where every alternative points at its own entry, the
    /// held-out alternatives find their entries and removed entries find
    /// none, so the fitted confidence separates the two.
    @Test func calibrationOnACollectionsOwnAlternatives() throws {
        let n = 40
        var table: [String: [Float]] = [:]
        var entries: [FAQEntry] = []
        var rng = FinchRNG(seed: 5)
        for i in 0..<n {
            let base = (0..<16).map { _ in rng.nextNormal() }
            func near(_ s: Float) -> [Float] { base.map { $0 + s * rng.nextNormal() } }
            table["q\(i)"] = near(0.2)
            table["alt\(i)"] = near(0.3)
            table["a\(i)"] = near(0.5)
            entries.append(FAQEntry(id: "\(i)", question: "q\(i)", answers: ["a\(i)"], alternatives: ["alt\(i)"]))
        }
        let assistant = try FAQAssistant.build(collection: FAQCollection(entries: entries), encoder: TableEncoder(table))
        let cal = assistant.calibration
        #expect(cal.sampleCount == 4 + 12 && cal.positiveCount == 12)
        #expect(cal.featureNames == ConfidenceFeatures.names)
        let texts = assistant.texts
        let (features, labels) = AssistantCalibrator.samples(
            texts: texts, dense: assistant.retriever.dense, options: assistant.settings.retrieval,
            calibration: assistant.settings.calibration)
        let right = zip(features, labels).filter(\.1).map { cal.model.probability($0.0) }
        let wrong = zip(features, labels).filter { !$0.1 }.map { cal.model.probability($0.0) }
        #expect(right.min()! > wrong.max()!, "right \(right), wrong \(wrong)")
        #expect((0...1).contains(cal.suggestedThreshold))
    }
}
