import FinchNN
import FinchTensor
import FinchTestSupport
import FinchText
import FinchTransformers
import Foundation
import Testing

@testable import FinchTrain

/// Integrated gradients against Captum's `LayerIntegratedGradients` on the
/// tiny random BERT heads (fixture from `Scripts/make_ig_fixture.py`).
///
/// Tolerance: per-token attributions, F values and the delta agree to
/// 2·10⁻⁶ + 10⁻⁴·|Captum| — float32 forward and backward passes summed in a
/// different order, nothing more.
@Suite struct IntegratedGradientsTests {
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 2e-6 + 1e-4 * abs(b) }

    static func head(_ kind: String) throws -> any EmbeddingInputModel {
        var rng = FinchRNG(seed: 0)
        if kind == "classifier" {
            return try BertForSequenceClassification(contentsOf: TestSupport.fixtureURL("tiny-bert-seqcls"), rng: &rng)
        }
        return try BertForTokenClassification(contentsOf: TestSupport.fixtureURL("tiny-bert-tokcls"), rng: &rng)
    }

    @Test func gaussLegendreRuleMatchesNumPy() {
        let two = GaussLegendreRule(points: 2)
        #expect(abs(two.alphas[0] - (0.5 - 0.5 / 3.0.squareRoot())) < 1e-15)
        #expect(abs(two.alphas[1] - (0.5 + 0.5 / 3.0.squareRoot())) < 1e-15)
        #expect(two.weights.allSatisfy { abs($0 - 0.5) < 1e-15 })
        for n in [1, 5, 7, 50] {
            let rule = GaussLegendreRule(points: n)
            #expect(abs(rule.weights.reduce(0, +) - 1) < 1e-13)
            #expect(rule.alphas == rule.alphas.sorted() && rule.alphas.allSatisfy { $0 > 0 && $0 < 1 })
            // Exact for polynomials of degree 2n − 1: ∫₀¹ x^d dx = 1 / (d + 1).
            let d = 2 * n - 1
            let integral = zip(rule.alphas, rule.weights).reduce(0.0) { $0 + $1.1 * pow($1.0, Double(d)) }
            #expect(abs(integral - 1 / Double(d + 1)) < 1e-12)
        }
    }

    @Test(arguments: try CaptumIGFixture.load().cases.map(\.name))
    func equalsCaptum(_ name: String) throws {
        let c = try #require(try CaptumIGFixture.load().cases.first { $0.name == name })
        let ig = IntegratedGradients(
            model: try Self.head(c.model), options: IntegratedGradientsOptions(steps: c.steps, internalBatchSize: c.internal_batch_size))
        let special = c.special.map { $0 != 0 }
        // The pad baseline is the fixture's baseline ids, embedded.
        let expectedBase = ig.model.encoderModel.wordVectors(c.baseline_ids)
        #expect(TestSupport.maxAbsDifference(ig.baselineVectors(ids: c.ids, special: special), expectedBase) == 0)
        let r = try ig.attribute(ids: c.ids, typeIDs: c.type_ids, special: special, target: c.target)
        #expect(r.tokens.count == c.token_attributions.count)
        for (t, (mine, theirs)) in zip(r.tokens, c.token_attributions).enumerated() {
            #expect(Self.close(mine, theirs), "\(name) token \(t): \(mine) vs Captum \(theirs)")
        }
        #expect(Self.close(r.inputOutput, c.f_input), "\(r.inputOutput) vs \(c.f_input)")
        #expect(Self.close(r.baselineOutput, c.f_baseline), "\(r.baselineOutput) vs \(c.f_baseline)")
        #expect(Self.close(r.delta, c.delta), "delta \(r.delta) vs Captum \(c.delta)")
    }

    @Test func deltaShrinksAsStepsGrow() throws {
        let c = try #require(try CaptumIGFixture.load().cases.first { $0.deltas_by_steps != nil })
        let head = try Self.head(c.model)
        var previous = Double.infinity
        var deltas: [Int: Double] = [:]
        for steps in [2, 4, 8, 16, 32, 64] {
            let ig = IntegratedGradients(model: head, options: IntegratedGradientsOptions(steps: steps))
            let delta = try ig.attribute(ids: c.ids, typeIDs: c.type_ids, special: c.special.map { $0 != 0 }, target: c.target).delta
            deltas[steps] = delta
            #expect(abs(delta) <= Swift.max(previous, 1e-5), "\(steps) steps: |delta| \(abs(delta)) grew from \(previous)")
            #expect(Self.close(delta, c.deltas_by_steps![String(steps)]!), "\(steps) steps: \(delta) vs Captum")
            previous = abs(delta)
        }
        #expect(abs(deltas[2]!) > 1e-2 && abs(deltas[64]!) < 1e-5)
    }

    @Test func batchSizeDoesNotChangeTheResult() throws {
        let c = try #require(try CaptumIGFixture.load().cases.first)
        let head = try Self.head(c.model)
        let special = c.special.map { $0 != 0 }
        let whole = try IntegratedGradients(model: head, options: IntegratedGradientsOptions(steps: 12))
            .attribute(ids: c.ids, typeIDs: c.type_ids, special: special, target: c.target)
        let split = try IntegratedGradients(model: head, options: IntegratedGradientsOptions(steps: 12, internalBatchSize: 5))
            .attribute(ids: c.ids, typeIDs: c.type_ids, special: special, target: c.target)
        for (a, b) in zip(whole.tokens, split.tokens) { #expect(abs(a - b) < 1e-6) }
    }

    @Test func zeroBaselineKeepsSpecialTokensAndZeroesTheRest() throws {
        let c = try #require(try CaptumIGFixture.load().cases.first)
        let ig = IntegratedGradients(model: try Self.head(c.model), options: IntegratedGradientsOptions(baseline: .zero))
        let special = c.special.map { $0 != 0 }
        let base = ig.baselineVectors(ids: c.ids, special: special)
        let own = ig.model.encoderModel.wordVectors(c.ids)
        let h = base.shape[1]
        for (t, isSpecial) in special.enumerated() {
            let row = Array(base.scalars[(t * h)..<((t + 1) * h)]), ownRow = Array(own.scalars[(t * h)..<((t + 1) * h)])
            #expect(isSpecial ? row == ownRow : row.allSatisfy { $0 == 0 })
        }
        // Completeness still holds up to the quadrature error.
        let r = try ig.attribute(ids: c.ids, typeIDs: c.type_ids, special: special, target: c.target)
        #expect(abs(r.delta) < 1e-3)
    }

    @Test func explainingFreezesTheModel() throws {
        let head = try Self.head("classifier")
        #expect(!head.trainableParameters().isEmpty)
        _ = IntegratedGradients(model: head)
        #expect(head.trainableParameters().isEmpty)
    }

    @Test func rejectsZeroSteps() throws {
        let ig = IntegratedGradients(model: try Self.head("classifier"), options: IntegratedGradientsOptions(steps: 0))
        #expect(throws: ExplanationError.invalidSteps(0)) {
            try ig.attribute(ids: [2, 57, 3], special: [true, false, true], target: .logit(label: 0))
        }
    }
}
