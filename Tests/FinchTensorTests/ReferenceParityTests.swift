import FinchTestSupport
import Testing

@testable import FinchTensor

/// Forward and backward values against PyTorch (Scripts/make_tensor_fixtures.py).
@Suite struct ReferenceParityTests {
    let fixture: TensorFixture

    init() throws { fixture = try TensorFixture.load("tensor_ops.json") }

    /// Runs `f` on the fixture inputs of `name`, back-propagates sum(y ⊙ R) and
    /// compares the output and every input gradient.
    func check(_ name: String, inputs: Int, atol: Float = 1e-5, _ f: ([Tensor]) -> Tensor) throws {
        let xs = try (0..<inputs).map { try fixture.tensor("\(name).input\($0)").requiringGrad() }
        let y = f(xs)
        let expected = try fixture.tensor("\(name).output")
        #expect(y.shape == expected.shape, "\(name) output shape")
        #expect(TestSupport.isClose(y, expected, atol: atol), "\(name) forward: max diff \(TestSupport.maxAbsDifference(y, expected))")
        try (y * fixture.tensor("\(name).r")).sum().backward()
        for (i, x) in xs.enumerated() {
            let g = try fixture.tensor("\(name).grad\(i)")
            let got = try #require(x.grad, "\(name) input \(i) has no gradient")
            #expect(TestSupport.isClose(got, g, atol: atol), "\(name) grad \(i): max diff \(TestSupport.maxAbsDifference(got, g))")
        }
    }

    @Test func softmax() throws { try check("softmax", inputs: 1) { $0[0].softmax() } }
    @Test func logSoftmax() throws { try check("logSoftmax", inputs: 1) { $0[0].logSoftmax() } }
    @Test func layerNorm() throws {
        try check("layerNorm", inputs: 3, atol: 2e-5) { $0[0].layerNorm(weight: $0[1], bias: $0[2], eps: 1e-12) }
    }
    @Test func gelu() throws { try check("gelu", inputs: 1) { $0[0].gelu() } }
    @Test func geluTanh() throws { try check("geluTanh", inputs: 1) { $0[0].geluTanh() } }

    @Test func crossEntropyIgnoresIndex() throws {
        let targets = try fixture.ints("crossEntropy.targets")
        try check("crossEntropy", inputs: 1) { $0[0].crossEntropy(targets: targets) }
        let weights = try fixture.tensor("crossEntropy.weights")
        try check("crossEntropyWeighted", inputs: 1) { $0[0].crossEntropy(targets: targets, classWeights: weights) }
        try check("logSoftmaxNLL", inputs: 1) { $0[0].logSoftmax().nllLoss(targets: targets) }
    }

    @Test func binaryCrossEntropy() throws {
        let target = try fixture.tensor("bce.target")
        try check("bce", inputs: 1) { $0[0].binaryCrossEntropyWithLogits(target) }
    }

    @Test func attentionBlock() throws {
        let mask = try fixture.tensor("attention.mask")  // [B, S]
        let (b, s, h, heads) = (2, 5, 12, 3)
        let d = h / heads
        try check("attention", inputs: 7, atol: 2e-5) { p in
            func split(_ t: Tensor) -> Tensor { t.reshaped([b, s, heads, d]).permuted([0, 2, 1, 3]) }
            let q = split(p[0].matmul(p[1], transposeB: true) + p[2])
            let k = split(p[0].matmul(p[3], transposeB: true) + p[4])
            let v = split(p[0].matmul(p[5], transposeB: true) + p[6])
            let additive = ((1 - mask) * -Float.greatestFiniteMagnitude).reshaped([b, 1, 1, s])
            let scores = q.matmul(k, transposeB: true) / Float(d).squareRoot() + additive
            let context = scores.softmax().matmul(v)  // [b, heads, s, d]
            return context.permuted([0, 2, 1, 3]).reshaped([b, s, h])
        }
    }
}
