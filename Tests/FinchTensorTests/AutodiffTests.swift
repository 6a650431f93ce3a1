import FinchTestSupport
import Testing

@testable import FinchTensor

@Suite struct AutodiffTests {
    @Test func noGradScopeRecordsNothing() {
        let x = Tensor([1, 2, 3]).requiringGrad()
        let y = withoutGradient { (x * x).sum() }
        #expect(!y.requiresGrad)
        y.backward()
        #expect(x.grad == nil)
        let z = (x * x).sum()
        #expect(z.requiresGrad)
    }

    @Test func detachCutsTheGraph() {
        let x = Tensor([1, 2, 3]).requiringGrad()
        let y = (x.detached() * x).sum()  // d/dx = x (only the live branch)
        y.backward()
        #expect(x.grad?.scalars == [1, 2, 3])
    }

    @Test func gradientsAccumulateAcrossBackwardCalls() {
        let x = Tensor([1, -2]).requiringGrad()
        (x * 3).sum().backward()
        (x * 3).sum().backward()
        #expect(x.grad?.scalars == [6, 6])
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    @Test func diamondGraphSumsBothPaths() {
        // y = a*b + a*c with b = 2a, c = a²: dy/da = 2b + a·2 + c + a·2a = 4a + 2a + a² + 2a² … check numerically
        let x = Tensor([0.5, 1.5, -1]).requiringGrad()
        let b = x * 2, c = x * x
        (x * b + x * c).sum().backward()
        let expected = x.detached().map { 4 * $0 + 3 * $0 * $0 }
        #expect(TestSupport.maxAbsDifference(x.grad!, expected) < 1e-6)
    }

    @Test func backwardReleasesTheGraph() {
        weak var weakNode: AutogradNode?
        let x = Tensor([1, 2, 3]).requiringGrad()
        var loss: Tensor
        do {
            let hidden = (x * 2).exp()
            weakNode = hidden.node
            loss = hidden.sum()
        }
        #expect(weakNode != nil)
        loss.backward()
        // The interior node is freed once the pass has used it.
        #expect(weakNode == nil)
        // A second backward over the spent graph adds nothing.
        let before = x.grad!.scalars
        loss.backward()
        #expect(x.grad!.scalars == before)
        _ = loss
    }

    @Test func constantsNeedNoGradient() {
        let a = Tensor([1, 2]), b = Tensor([3, 4])
        #expect(!(a * b).requiresGrad)
    }

    @Test func randomIsSeededAndSplittable() {
        var r1 = FinchRNG(seed: 7), r2 = FinchRNG(seed: 7)
        #expect(Tensor.randomNormal([5], rng: &r1).scalars == Tensor.randomNormal([5], rng: &r2).scalars)
        var parent = FinchRNG(seed: 7)
        var child = parent.split()
        #expect(child.next() != parent.next())
        var big = FinchRNG(seed: 1)
        let sample = Tensor.randomNormal([20000], rng: &big)
        let mean = sample.mean().item, variance = (sample - mean).squared().mean().item
        #expect(Swift.abs(mean) < 0.03 && Swift.abs(variance - 1) < 0.05)
        let uniform = Tensor.randomUniform([20000], low: -1, high: 3, rng: &big)
        #expect(uniform.scalars.allSatisfy { $0 >= -1 && $0 < 3 })
        #expect(Swift.abs(uniform.mean().item - 1) < 0.05)
    }
}

@Suite struct ForwardValueTests {
    @Test func broadcastingShapes() {
        #expect(Shape.broadcast([3, 1, 5], [4, 1]) == [3, 4, 5])
        #expect(Shape.broadcast([2, 3], [3, 2]) == nil)
        let a = Tensor(shape: [2, 1], values: [1, 2]), b = Tensor([10, 20, 30])
        #expect((a + b).scalars == [11, 21, 31, 12, 22, 32])
    }

    @Test func reductionsAndArgmax() {
        let x = Tensor(shape: [2, 3], values: [1, 5, 2, 7, 0, 7])
        #expect(x.sum(axis: 0).scalars == [8, 5, 9])
        #expect(x.sum(axis: 1, keepDims: true).shape == [2, 1])
        #expect(x.max(axis: 1).scalars == [5, 7])
        #expect(x.argmax(axis: 1) == [1, 0])  // first of ties
        #expect(x.mean().item == 22.0 / 6)
    }

    @Test func movementValues() {
        let x = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(x.transposed().scalars == [1, 4, 2, 5, 3, 6])
        #expect(x.slice(axis: 1, 1..<3).scalars == [2, 3, 5, 6])
        #expect(Tensor.concat([x, x.slice(axis: 1, 0..<1)], axis: 1).scalars == [1, 2, 3, 1, 4, 5, 6, 4])
        #expect(Tensor.stack([x, x], axis: 0).shape == [2, 2, 3])
        #expect(x.reshaped([3, -1]).shape == [3, 2])
        #expect(x.gatherRows([1, 1, 0]).scalars == [4, 5, 6, 4, 5, 6, 1, 2, 3])
    }

    @Test func matmulMatchesNaive() {
        var rng = FinchRNG(seed: 3)
        let a = Tensor.randomNormal([4, 3, 5], rng: &rng), b = Tensor.randomNormal([5, 2], rng: &rng)
        let c = a.matmul(b)
        for i in 0..<4 {
            for r in 0..<3 {
                for col in 0..<2 {
                    var s: Float = 0
                    for k in 0..<5 { s += a[i, r, k] * b[k, col] }
                    #expect(Swift.abs(c[i, r, col] - s) < 1e-5)
                }
            }
        }
        #expect(TestSupport.maxAbsDifference(a.matmul(b.transposed().copy(), transposeB: true), c) < 1e-6)
    }

    @Test func softmaxIsStableForHugeLogits() {
        let x = Tensor([1000, 1001, -1e30])
        let s = x.softmax()
        #expect(s.scalars.allSatisfy { $0.isFinite })
        #expect(Swift.abs(s.sum().item - 1) < 1e-6)
        let masked = Tensor([-Float.infinity, -Float.infinity]).softmax()
        #expect(masked.scalars.allSatisfy { $0.isNaN })  // as PyTorch: no finite maximum
        #expect(x.logSoftmax().scalars[1] > -1)
    }

    @Test func crossEntropyWithAllTargetsIgnoredIsZero() {
        let logits = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]).requiringGrad()
        let loss = logits.crossEntropy(targets: [-100, -100])
        #expect(loss.item == 0)
        loss.backward()
        #expect(logits.grad!.scalars.allSatisfy { $0 == 0 })
    }

    @Test func dropoutKeepsExpectationAndIsSeeded() {
        var rng = FinchRNG(seed: 11)
        let x = Tensor.ones([10000])
        let y = x.dropout(p: 0.25, rng: &rng)
        let zeros = y.scalars.filter { $0 == 0 }.count
        #expect(zeros > 2200 && zeros < 2800)
        #expect(y.scalars.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.75) < 1e-6 })
        var a = FinchRNG(seed: 3), b = FinchRNG(seed: 3)
        #expect(x.dropout(p: 0.5, rng: &a).scalars == x.dropout(p: 0.5, rng: &b).scalars)
    }
}
