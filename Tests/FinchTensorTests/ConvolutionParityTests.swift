import FinchTestSupport
import Testing

@testable import FinchTensor

/// Forward and backward of the vision ops against PyTorch
/// (`Scripts/make_vision_fixtures.py` → `Tests/Fixtures/vision/ops.json`):
/// outputs and the gradients of sum(op(x) ⊙ R) for every input.
@Suite struct ConvolutionParityTests {
    let fixture: TensorFixture

    init() throws { fixture = try TensorFixture.load("vision/ops.json") }

    /// Runs `op` on the fixture's inputs of `name` and compares the output and every input gradient.
    func check(_ name: String, inputs: Int, atol: Float = 2e-5, _ op: ([Tensor]) -> Tensor) throws {
        let leaves = try (0..<inputs).map { try fixture.tensor("\(name).input\($0)").requiringGrad() }
        let y = op(leaves)
        let expected = try fixture.tensor("\(name).output")
        #expect(
            TestSupport.isClose(y, expected, atol: atol, rtol: 1e-4),
            "\(name) output: max diff \(TestSupport.maxAbsDifference(y, expected))")
        (y * (try fixture.tensor("\(name).r"))).sum().backward()
        for (i, leaf) in leaves.enumerated() {
            let want = try fixture.tensor("\(name).grad\(i)")
            let got = try #require(leaf.grad, "\(name) input \(i) has no gradient")
            #expect(
                TestSupport.isClose(got, want, atol: atol, rtol: 1e-4),
                "\(name) grad\(i): max diff \(TestSupport.maxAbsDifference(got, want))")
        }
    }

    @Test func conv2dOddShapeStrideDilationGroups() throws {
        try check("conv.odd", inputs: 3) { $0[0].conv2d(weight: $0[1], bias: $0[2], stride: 2, padding: 1, dilation: 2, groups: 3) }
    }

    @Test func conv2dPlain() throws {
        try check("conv.plain", inputs: 3) { $0[0].conv2d(weight: $0[1], bias: $0[2]) }
    }

    @Test func conv2dAsymmetric() throws {
        try check("conv.asymmetric", inputs: 2) {
            $0[0].conv2d(weight: $0[1], stride: Pair2D(2, 1), padding: Pair2D(1, 2), dilation: Pair2D(1, 2), groups: 2)
        }
    }

    @Test func conv2dPointwiseStrided() throws {
        try check("conv.pointwise", inputs: 3) { $0[0].conv2d(weight: $0[1], bias: $0[2], stride: 2) }
    }

    @Test func maxPool2d() throws {
        try check("maxpool.k3s2p1", inputs: 1) { $0[0].maxPool2d(kernel: 3, stride: 2, padding: 1) }
        try check("maxpool.k2", inputs: 1) { $0[0].maxPool2d(kernel: 2) }
        try check("maxpool.asymmetric", inputs: 1) { $0[0].maxPool2d(kernel: Pair2D(3, 2), stride: Pair2D(1, 2), padding: Pair2D(1, 0)) }
    }

    @Test func avgPool2d() throws {
        try check("avgpool.include", inputs: 1) { $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1) }
        try check("avgpool.exclude", inputs: 1) { $0[0].avgPool2d(kernel: 3, stride: 2, padding: 1, countIncludePad: false) }
        try check("avgpool.k2", inputs: 1) { $0[0].avgPool2d(kernel: 2) }
    }

    @Test func adaptiveAvgPool2d() throws {
        try check("adaptive.3x2", inputs: 1) { $0[0].adaptiveAvgPool2d(outputSize: Pair2D(3, 2)) }
        try check("adaptive.1", inputs: 1) { $0[0].adaptiveAvgPool2d(outputSize: 1) }
        try check("adaptive.up", inputs: 1) { $0[0].adaptiveAvgPool2d(outputSize: Pair2D(5, 4)) }
    }

    @Test func batchNormTrainingAndItsStatistics() throws {
        var stats: BatchNormResult?
        try check("bn.train", inputs: 3, atol: 1e-4) {
            let r = $0[0].batchNormTraining(weight: $0[1], bias: $0[2])
            stats = r
            return r.output
        }
        // PyTorch's running update with momentum 0.1: mean and *unbiased* variance.
        let s = try #require(stats)
        let mean = try fixture.tensor("bn.running_mean"), variance = try fixture.tensor("bn.running_var")
        let newMean = mean * 0.9 + s.mean * 0.1, newVariance = variance * 0.9 + s.unbiasedVariance * 0.1
        #expect(TestSupport.isClose(newMean, try fixture.tensor("bn.running_mean_after"), atol: 1e-5))
        #expect(TestSupport.isClose(newVariance, try fixture.tensor("bn.running_var_after"), atol: 1e-5))
    }

    @Test func batchNormEvaluation() throws {
        let mean = try fixture.tensor("bn.running_mean"), variance = try fixture.tensor("bn.running_var")
        try check("bn.eval", inputs: 3, atol: 1e-4) { $0[0].batchNorm(mean: mean, variance: variance, weight: $0[1], bias: $0[2]) }
    }
}
