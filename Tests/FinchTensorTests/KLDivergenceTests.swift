import FinchTestSupport
import Testing

@testable import FinchTensor

/// `klDivergence(logTarget:)`: finite differences on odd shapes, and values and
/// gradients against the float64 reference of Scripts/make_distillation_fixtures.py.
@Suite struct KLDivergenceTests {
    static func logProbabilities(_ shape: [Int], seed: UInt64, scale: Float = 2) -> Tensor {
        GradientCheckTests.random(shape, seed: seed, scale: scale).logSoftmax()
    }

    @Test(arguments: [[13, 7], [45, 65], [1, 5], [6, 1]])
    func gradientMatchesFiniteDifferences(shape: [Int]) {
        let target = Self.logProbabilities(shape, seed: 31)
        let logits = GradientCheckTests.random(shape, seed: 32, scale: 2)
        // Through log-softmax, as distillation uses it, and on log-probabilities directly.
        #expect(
            TestSupport.gradientCheck([logits]) { $0[0].logSoftmax().klDivergence(logTarget: target) } < GradientCheckTests.tolerance)
        #expect(TestSupport.gradientCheck([logits]) { $0[0].klDivergence(logTarget: target) } < GradientCheckTests.tolerance)
        // Used twice: both uses accumulate.
        #expect(
            TestSupport.gradientCheck([logits]) { x in
                x[0].logSoftmax().klDivergence(logTarget: target) + (x[0] * x[0]).logSoftmax().klDivergence(logTarget: target)
            } < GradientCheckTests.tolerance)
    }

    @Test func zeroForEqualDistributionsAndPositiveOtherwise() {
        let p = Self.logProbabilities([9, 5], seed: 33)
        #expect(Swift.abs(p.klDivergence(logTarget: p).item) < 1e-6)
        #expect(Self.logProbabilities([9, 5], seed: 34).klDivergence(logTarget: p).item > 0.01)
    }

    @Test func matchesTheReference() throws {
        let fixture = try TensorFixture.load("distillation_loss.json")
        let input = try fixture.tensor("kl.input").requiringGrad()
        let target = try fixture.tensor("kl.logTarget")
        let loss = input.klDivergence(logTarget: target)
        let expected = try fixture.tensor("kl.output").item
        #expect(Swift.abs(loss.item - expected) < 1e-5 * Swift.max(1, Swift.abs(expected)), "\(loss.item) vs \(expected)")
        loss.backward()
        let grad = try #require(input.grad)
        let reference = try fixture.tensor("kl.grad")
        #expect(TestSupport.isClose(grad, reference, atol: 1e-6), "max diff \(TestSupport.maxAbsDifference(grad, reference))")
        // Row 4's target is one-hot to within float32 (its other classes underflow to q = 0) and still finite.
        #expect(loss.item.isFinite && grad.scalars.allSatisfy(\.isFinite))
    }
}
