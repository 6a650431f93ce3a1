import FinchTestSupport
import Testing

@testable import FinchTensor

/// Finite-difference checks of every differentiable op on odd shapes. The loss
/// is sum(op(x) ⊙ R) with a fixed random R so every output element matters.
@Suite struct GradientCheckTests {
    static func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var rng = FinchRNG(seed: seed)
        return Tensor.randomNormal(shape, std: scale, rng: &rng)
    }

    /// sum(y ⊙ R) for a fixed R shaped like y.
    static func weighted(_ y: Tensor, seed: UInt64 = 99) -> Tensor {
        (y * random(y.shape, seed: seed).detached()).sum()
    }

    static let tolerance: Float = 2e-2

    @Test(arguments: [[45, 65], [13, 7, 37], [1, 5], [5, 1, 3]])
    func elementwiseBinary(shape: [Int]) {
        let a = Self.random(shape, seed: 1), b = Self.random(shape, seed: 2)
        let positive = b.map { Swift.abs($0) + 0.5 }
        #expect(TestSupport.gradientCheck([a, b]) { Self.weighted($0[0] + $0[1]) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([a, b]) { Self.weighted($0[0] - $0[1]) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([a, b]) { Self.weighted($0[0] * $0[1]) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([a, positive]) { Self.weighted($0[0] / $0[1]) } < Self.tolerance)
    }

    @Test func usedTwiceAccumulates() {
        let x = Self.random([13, 7], seed: 3)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0] * $0[0]) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0] * $0[0] + $0[0].tanh() * $0[0]) } < Self.tolerance)
        // Exact: d/dx sum(x * x) = 2x.
        let leaf = x.requiringGrad()
        (leaf * leaf).sum().backward()
        #expect(TestSupport.maxAbsDifference(leaf.grad!, x * 2) < 1e-6)
    }

    @Test(arguments: [([13, 7, 37], [37]), ([13, 7, 37], [7, 1]), ([45, 65], [1, 65]), ([5, 1, 3], [4, 3]), ([3, 1], [1, 4])])
    func broadcasting(a aShape: [Int], b bShape: [Int]) {
        let a = Self.random(aShape, seed: 4), b = Self.random(bShape, seed: 5)
        #expect(TestSupport.gradientCheck([a, b]) { Self.weighted($0[0] * $0[1] + $0[1]) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([a, b]) { Self.weighted($0[0] - $0[1] / ($0[1].abs() + 1)) } < Self.tolerance)
    }

    @Test func unaryOps() {
        let x = Self.random([13, 7, 5], seed: 6)
        let pos = x.map { Swift.abs($0) + 0.3 }
        let ops: [(String, Tensor, (Tensor) -> Tensor)] = [
            ("exp", x, { $0.exp() }), ("log", pos, { $0.log() }), ("sqrt", pos, { $0.sqrt() }),
            ("tanh", x, { $0.tanh() }), ("erf", x, { $0.erf() }), ("sigmoid", x, { $0.sigmoid() }),
            ("gelu", x, { $0.gelu() }), ("geluTanh", x, { $0.geluTanh() }), ("relu", x, { $0.relu() }),
            ("neg", x, { -$0 }), ("scalar", x, { 3 - $0 * 2 + 1.5 }), ("pow", pos, { $0.pow(2.5) }),
            ("clamp", x, { $0.clamped(min: -0.5, max: 0.7) }),
        ]
        for (name, input, f) in ops {
            let err = TestSupport.gradientCheck([input], h: 1e-3) { Self.weighted(f($0[0])) }
            #expect(err < Self.tolerance, "\(name): \(err)")
        }
    }

    @Test(arguments: [0, 1, 2, -1])
    func reductions(axis: Int) {
        let x = Self.random([13, 7, 37], seed: 7)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].sum(axis: axis)) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].mean(axis: axis, keepDims: true)) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x], h: 1e-3) { Self.weighted($0[0].max(axis: axis)) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x]) { $0[0].mean() * 3 } < Self.tolerance)
    }

    @Test func matmulAllTransposes() {
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
            let a = Self.random(ta ? [7, 13] : [13, 7], seed: 8), b = Self.random(tb ? [5, 7] : [7, 5], seed: 9)
            let err = TestSupport.gradientCheck([a, b]) { Self.weighted($0[0].matmul($0[1], transposeA: ta, transposeB: tb)) }
            #expect(err < Self.tolerance, "transposeA \(ta) transposeB \(tb): \(err)")
            // Batched with equal batch dims, and with a shared 2-D right side.
            let ba = Self.random([3, 2] + (ta ? [7, 13] : [13, 7]), seed: 10)
            let bb = Self.random([3, 2] + (tb ? [5, 7] : [7, 5]), seed: 11)
            #expect(
                TestSupport.gradientCheck([ba, bb]) { Self.weighted($0[0].matmul($0[1], transposeA: ta, transposeB: tb)) } < Self.tolerance)
            #expect(
                TestSupport.gradientCheck([ba, b]) { Self.weighted($0[0].matmul($0[1], transposeA: ta, transposeB: tb)) } < Self.tolerance)
            #expect(
                TestSupport.gradientCheck([a, bb]) { Self.weighted($0[0].matmul($0[1], transposeA: ta, transposeB: tb)) } < Self.tolerance)
        }
    }

    @Test func fusedLinear() {
        let x = Self.random([3, 5, 7], seed: 30), w = Self.random([4, 7], seed: 31), b = Self.random([4], seed: 32)
        #expect(TestSupport.gradientCheck([x, w, b]) { Self.weighted($0[0].linear(weight: $0[1], bias: $0[2])) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x, w]) { Self.weighted($0[0].linear(weight: $0[1], bias: nil)) } < Self.tolerance)
        let reference = x.matmul(w, transposeB: true) + b
        #expect(TestSupport.maxAbsDifference(x.linear(weight: w, bias: b), reference) < 1e-5)
    }

    @Test func movement() {
        let x = Self.random([13, 7, 5], seed: 12)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].permuted([2, 0, 1])) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].transposed(0, 1)) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].reshaped([7, -1])) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].slice(axis: 1, 2..<6)) } < Self.tolerance)
        let y = Self.random([13, 3, 5], seed: 13)
        #expect(TestSupport.gradientCheck([x, y]) { Self.weighted(Tensor.concat([$0[0], $0[1], $0[0]], axis: 1)) } < Self.tolerance)
        let z = Self.random([13, 7, 5], seed: 14)
        #expect(TestSupport.gradientCheck([x, z]) { Self.weighted(Tensor.stack([$0[0], $0[1]], axis: 1)) } < Self.tolerance)
    }

    @Test func gatherRowsScatterAdds() {
        let table = Self.random([11, 6], seed: 15)
        let ids = [3, 0, 3, 10, 3, 7]  // 3 repeats: gradients must add
        #expect(TestSupport.gradientCheck([table]) { Self.weighted($0[0].gatherRows(ids, indexShape: [2, 3])) } < Self.tolerance)
    }

    @Test(arguments: [[13, 37], [5, 7, 1], [3, 4, 9]])
    func softmaxFamily(shape: [Int]) {
        let x = Self.random(shape, seed: 16, scale: 2)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].softmax()) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].logSoftmax()) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].softmax(axis: 0)) } < Self.tolerance)
    }

    @Test func layerNormAllInputs() {
        let x = Self.random([13, 7, 37], seed: 17), w = Self.random([37], seed: 18), b = Self.random([37], seed: 19)
        #expect(
            TestSupport.gradientCheck([x, w, b], h: 1e-2) { Self.weighted($0[0].layerNorm(weight: $0[1], bias: $0[2], eps: 1e-5)) }
                < Self.tolerance)
    }

    @Test func maskedFillAndWhere() {
        let x = Self.random([5, 7], seed: 20)
        let mask = Tensor(shape: [1, 7], values: [1, 0, 0, 1, 0, 1, 0])
        #expect(TestSupport.gradientCheck([x]) { Self.weighted($0[0].maskedFill(mask, -3)) } < Self.tolerance)
        let y = Self.random([5, 7], seed: 21)
        #expect(TestSupport.gradientCheck([x, y]) { Self.weighted(Tensor.where(mask, $0[0], $0[1])) } < Self.tolerance)
    }

    @Test func losses() {
        let logits = Self.random([9, 5], seed: 22, scale: 2)
        let targets = [0, 4, -100, 2, 2, 1, -100, 3, 0]
        let weights = Tensor([0.5, 2, 1, 0.3, 1.7])
        #expect(TestSupport.gradientCheck([logits]) { $0[0].crossEntropy(targets: targets) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([logits]) { $0[0].crossEntropy(targets: targets, classWeights: weights) } < Self.tolerance)
        #expect(TestSupport.gradientCheck([logits]) { $0[0].logSoftmax().nllLoss(targets: targets) } < Self.tolerance)
        let target = Self.random([9, 5], seed: 23)
        #expect(TestSupport.gradientCheck([logits]) { $0[0].mseLoss(target) } < Self.tolerance)
        let binary = target.map { $0 > 0 ? 1 : 0 }
        #expect(TestSupport.gradientCheck([logits]) { $0[0].binaryCrossEntropyWithLogits(binary) } < Self.tolerance)
        #expect(
            TestSupport.gradientCheck([logits]) { $0[0].binaryCrossEntropyWithLogits(binary, positiveWeight: weights) } < Self.tolerance)
    }

    @Test func dropoutUsesOneMask() {
        let x = Self.random([13, 7], seed: 24)
        // Same seed each evaluation, so the finite difference sees one mask.
        #expect(
            TestSupport.gradientCheck([x]) { t in
                var rng = FinchRNG(seed: 5)
                return Self.weighted(t[0].dropout(p: 0.3, rng: &rng))
            } < Self.tolerance)
    }

    @Test func maximumOfTwo() {
        let a = Self.random([6, 5], seed: 25), b = Self.random([6, 5], seed: 26)
        #expect(TestSupport.gradientCheck([a, b]) { Self.weighted($0[0].maximum($0[1])) } < Self.tolerance)
    }
}
