import FinchTestSupport
import Testing

@testable import FinchTensor

/// Finite-difference checks of the vision ops (conv2d, pooling, batch norm)
/// on odd shapes, with the loss sum(op(x) ⊙ R) for a fixed random R.
@Suite struct ConvolutionGradientCheckTests {
    static func random(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
        var rng = FinchRNG(seed: seed)
        return Tensor.randomNormal(shape, std: scale, rng: &rng)
    }

    /// Distinct values at least 0.05 apart in a shuffled order: a window's
    /// maximum stays put under a finite-difference step.
    static func distinct(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = FinchRNG(seed: seed)
        let values = (0..<Shape.count(shape)).map { Float($0) * 0.05 - 1 }.shuffled(using: &rng)
        return Tensor(shape: shape, values: values)
    }

    static func weighted(_ y: Tensor, seed: UInt64 = 99) -> Tensor {
        (y * random(y.shape, seed: seed).detached()).sum()
    }

    static let tolerance: Float = 2e-2

    @Test func conv2dStrideDilationGroupsOnOddShape() {
        // N=2, C=3, H=7, W=5, kernel 3, stride 2, padding 1, dilation 2, groups 3.
        let x = Self.random([2, 3, 7, 5], seed: 1), w = Self.random([6, 1, 3, 3], seed: 2), b = Self.random([6], seed: 3)
        let err = TestSupport.gradientCheck([x, w, b], h: 1e-2, maxElements: 200) {
            Self.weighted($0[0].conv2d(weight: $0[1], bias: $0[2], stride: 2, padding: 1, dilation: 2, groups: 3))
        }
        #expect(err < Self.tolerance)
    }

    @Test func conv2dAsymmetricWindowWithoutBias() {
        let x = Self.random([2, 4, 6, 9], seed: 4), w = Self.random([6, 2, 3, 2], seed: 5)
        let err = TestSupport.gradientCheck([x, w], h: 1e-2, maxElements: 200) {
            Self.weighted($0[0].conv2d(weight: $0[1], stride: Pair2D(1, 2), padding: Pair2D(2, 1), dilation: Pair2D(2, 1), groups: 2))
        }
        #expect(err < Self.tolerance)
    }

    @Test func conv2dOneImageAndInputUsedTwice() {
        // N = 1 writes the product straight into the output; x feeds the conv and the sum.
        let x = Self.random([1, 3, 5, 4], seed: 6), w = Self.random([3, 3, 3, 3], seed: 7)
        let err = TestSupport.gradientCheck([x, w], h: 1e-2, maxElements: 200) {
            Self.weighted($0[0].conv2d(weight: $0[1], padding: 1) * $0[0] + $0[0])
        }
        #expect(err < Self.tolerance)
    }

    @Test func maxPool2dWithPadding() {
        let x = Self.distinct([2, 3, 7, 5], seed: 8)
        let err = TestSupport.gradientCheck([x], h: 1e-2, maxElements: 210) {
            Self.weighted($0[0].maxPool2d(kernel: 3, stride: 2, padding: 1))
        }
        #expect(err < Self.tolerance)
    }

    @Test func avgPool2dCountingAndNotCountingPadding() {
        let x = Self.random([2, 3, 7, 5], seed: 9)
        for include in [true, false] {
            let err = TestSupport.gradientCheck([x], h: 1e-2, maxElements: 210) {
                Self.weighted($0[0].avgPool2d(kernel: 3, stride: 2, padding: 1, countIncludePad: include))
            }
            #expect(err < Self.tolerance, "countIncludePad \(include): \(err)")
        }
    }

    @Test(arguments: [Pair2D(3, 2), Pair2D(1), Pair2D(5, 7)])
    func adaptiveAvgPool2d(outputSize: Pair2D) {
        let x = Self.random([2, 3, 7, 5], seed: 10)
        let err = TestSupport.gradientCheck([x], h: 1e-2, maxElements: 210) {
            Self.weighted($0[0].adaptiveAvgPool2d(outputSize: outputSize))
        }
        #expect(err < Self.tolerance)
    }

    @Test(arguments: [[4, 3, 5, 7], [3, 5, 2, 1], [6, 4]])
    func batchNormTrainingThroughTheStatistics(shape: [Int]) {
        let c = shape[1]
        let x = Self.random(shape, seed: 11, scale: 2) + 0.5, w = Self.random([c], seed: 12), b = Self.random([c], seed: 13)
        let err = TestSupport.gradientCheck([x, w, b], h: 1e-2, maxElements: 210) {
            Self.weighted($0[0].batchNormTraining(weight: $0[1], bias: $0[2]).output)
        }
        #expect(err < Self.tolerance)
    }

    @Test func batchNormWithRunningStatistics() {
        let x = Self.random([4, 3, 5, 7], seed: 14), w = Self.random([3], seed: 15), b = Self.random([3], seed: 16)
        let mean = Tensor([0.3, -0.2, 0.1]), variance = Tensor([0.5, 1.7, 2.2])
        let err = TestSupport.gradientCheck([x, w, b], h: 1e-2, maxElements: 210) {
            Self.weighted($0[0].batchNorm(mean: mean, variance: variance, weight: $0[1], bias: $0[2]))
        }
        #expect(err < Self.tolerance)
    }

    @Test func conv2dSplitIntoChunksEqualsImageByImage() {
        // 4 images of 32×64×64 unfold to more than the chunk budget: chunks of 3 and 1.
        let x = Self.random([4, 32, 64, 64], seed: 17), w = Self.random([4, 32, 3, 3], seed: 18, scale: 0.1)
        let plan = ConvPlan(
            geometry: ConvGeometry("test", input: x.shape, kernel: 3, stride: 1, padding: 1), outChannels: 4, groups: 1)
        #expect(plan.chunk == 3)
        let xl = x.requiringGrad(), wl = w.requiringGrad()
        let y = xl.conv2d(weight: wl, padding: 1)
        let r = Self.random(y.shape, seed: 19)
        (y * r).sum().backward()
        var gw = Tensor.zeros(w.shape)
        for n in 0..<4 {
            let xi = x.slice(axis: 0, n..<(n + 1)).requiringGrad(), wi = w.requiringGrad()
            let yi = xi.conv2d(weight: wi, padding: 1)
            #expect(TestSupport.maxAbsDifference(yi, y.slice(axis: 0, n..<(n + 1))) < 1e-4)
            (yi * r.slice(axis: 0, n..<(n + 1))).sum().backward()
            #expect(TestSupport.maxAbsDifference(xi.grad!, xl.grad!.slice(axis: 0, n..<(n + 1))) < 1e-4)
            gw = gw + wi.grad!
        }
        #expect(TestSupport.isClose(wl.grad!, gw, atol: 1e-2, rtol: 1e-3))
    }
}
