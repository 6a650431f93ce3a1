import FinchTensor
import FinchTestSupport
import Testing

/// `linear` computes only the gradients its inputs need: with a frozen weight
/// or bias the input's gradient is unchanged and nothing reaches the frozen ones.
@Suite struct LinearFrozenWeightTests {
    @Test func frozenWeightAndBiasGetNoGradientAndTheInputsIsUnchanged() throws {
        var rng = FinchRNG(seed: 3)
        let x0 = Tensor.randomNormal([5, 7], rng: &rng), w0 = Tensor.randomNormal([4, 7], rng: &rng)
        let b0 = Tensor.randomNormal([4], rng: &rng), r = Tensor.randomNormal([5, 4], rng: &rng)
        // Everything trainable: the reference gradients.
        let (x, w, b) = (x0.requiringGrad(), w0.requiringGrad(), b0.requiringGrad())
        (x.linear(weight: w, bias: b) * r).sum().backward()
        // Weight and bias frozen.
        let xf = x0.requiringGrad()
        (xf.linear(weight: w0, bias: b0) * r).sum().backward()
        #expect(TestSupport.maxAbsDifference(try #require(xf.grad), try #require(x.grad)) == 0)
        // Input and bias frozen, weight trainable: its gradient is the full one.
        let wt = w0.requiringGrad()
        (x0.linear(weight: wt, bias: b0) * r).sum().backward()
        #expect(TestSupport.maxAbsDifference(try #require(wt.grad), try #require(w.grad)) == 0)
        // Only the bias trains.
        let bt = b0.requiringGrad()
        (x0.linear(weight: w0, bias: bt) * r).sum().backward()
        #expect(TestSupport.maxAbsDifference(try #require(bt.grad), try #require(b.grad)) < 1e-6)
    }
}
