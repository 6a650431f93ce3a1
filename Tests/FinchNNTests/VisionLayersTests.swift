import FinchTestSupport
import Testing

@testable import FinchNN
@testable import FinchTensor

/// The vision layers: PyTorch's parameter and buffer names, default
/// initialization, train/eval behaviour of BatchNorm2d and the shapes of the
/// parameter-free layers. Values against PyTorch come from
/// `Tests/Fixtures/vision/ops.json` (`Scripts/make_vision_fixtures.py`).
@Suite struct VisionLayersTests {
    @Test func conv2dNamesShapesAndKaimingUniformBounds() {
        var rng = FinchRNG(seed: 3)
        let conv = Conv2d(inChannels: 12, outChannels: 40, kernelSize: Pair2D(3, 5), padding: 1, groups: 4, rng: &rng)
        #expect(conv.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(conv.weight.shape == [40, 3, 3, 5] && conv.bias?.shape == [40])
        #expect(conv.inChannels == 12 && conv.outChannels == 40 && conv.kernelSize == Pair2D(3, 5))
        // kaiming_uniform_(a=√5): bound = 1/√fanIn with fanIn = 12/4·3·5 = 45; the bias likewise.
        let bound = 1 / Float(45).squareRoot()
        let w = conv.weight.value.scalars, b = conv.bias!.value.scalars
        #expect(w.allSatisfy { abs($0) <= bound } && b.allSatisfy { abs($0) <= bound })
        #expect(w.map(abs).max()! > 0.95 * bound)  // uniform over the whole range, not a narrower one
        let mean = w.reduce(0, +) / Float(w.count)
        #expect(abs(mean) < 0.02)
        let noBias = Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, bias: false, rng: &rng)
        #expect(noBias.namedParameters().map(\.name) == ["weight"])
    }

    @Test func conv2dAppliesItsWindow() throws {
        var rng = FinchRNG(seed: 4)
        let conv = Conv2d(inChannels: 3, outChannels: 6, kernelSize: 3, stride: 2, padding: 1, dilation: 2, groups: 3, rng: &rng)
        let fixture = try TensorFixture.load("vision/ops.json")
        try conv.loadStateDict(["weight": fixture.tensor("conv.odd.input1"), "bias": fixture.tensor("conv.odd.input2")])
        let y = conv(try fixture.tensor("conv.odd.input0"))
        #expect(TestSupport.isClose(y, try fixture.tensor("conv.odd.output"), atol: 2e-5))
    }

    @Test func batchNorm2dTrainingUpdatesRunningStatisticsAsPyTorch() throws {
        let fixture = try TensorFixture.load("vision/ops.json")
        let bn = BatchNorm2d(features: 3)
        try bn.loadStateDict([
            "weight": fixture.tensor("bn.train.input1"), "bias": fixture.tensor("bn.train.input2"),
            "running_mean": fixture.tensor("bn.running_mean"), "running_var": fixture.tensor("bn.running_var"),
            "num_batches_tracked": Tensor(scalar: 0),
        ])
        let x = try fixture.tensor("bn.train.input0")
        let y = bn(x)
        #expect(TestSupport.isClose(y, try fixture.tensor("bn.train.output"), atol: 1e-4))
        #expect(TestSupport.isClose(bn.runningMean.value, try fixture.tensor("bn.running_mean_after"), atol: 1e-5))
        #expect(TestSupport.isClose(bn.runningVar.value, try fixture.tensor("bn.running_var_after"), atol: 1e-5))
        #expect(bn.numBatchesTracked.value.item == 1)
        // Evaluation mode normalizes with the running statistics and leaves them alone.
        try bn.loadStateDict([
            "weight": fixture.tensor("bn.eval.input1"), "bias": fixture.tensor("bn.eval.input2"),
            "running_mean": fixture.tensor("bn.running_mean"), "running_var": fixture.tensor("bn.running_var"),
            "num_batches_tracked": Tensor(scalar: 1),
        ])
        bn.eval()
        let z = bn(x)
        #expect(TestSupport.isClose(z, try fixture.tensor("bn.eval.output"), atol: 1e-4))
        #expect(TestSupport.isClose(bn.runningMean.value, try fixture.tensor("bn.running_mean"), atol: 0))
        #expect(bn.numBatchesTracked.value.item == 1)
    }

    @Test func batchNorm2dWithoutMomentumKeepsTheCumulativeAverage() {
        let bn = BatchNorm2d(features: 2, momentum: nil)
        var rng = FinchRNG(seed: 5)
        let a = Tensor.randomNormal([3, 2, 4, 5], mean: 1, rng: &rng), b = Tensor.randomNormal([3, 2, 4, 5], mean: -2, rng: &rng)
        _ = bn(a)
        _ = bn(b)
        let expected = (a.batchNormTraining(weight: nil, bias: nil).mean + b.batchNormTraining(weight: nil, bias: nil).mean) * 0.5
        #expect(TestSupport.isClose(bn.runningMean.value, expected, atol: 1e-5))
        #expect(bn.numBatchesTracked.value.item == 2)
    }

    @Test func batchNorm2dBuffersAreSavedButNeverTrained() throws {
        let bn = BatchNorm2d(features: 4)
        #expect(bn.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(bn.namedBuffers().map(\.name) == ["running_mean", "running_var", "num_batches_tracked"])
        #expect(Set(bn.stateDict().keys) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        #expect(bn.parameterCount == 8)
        bn.freeze()
        bn.freeze(frozen: false)
        #expect(bn.trainableParameters().map(\.name) == ["weight", "bias"])
        #expect(!bn.runningMean.value.requiresGrad)
        // Strict loading wants the buffers too.
        #expect(
            throws: StateDictError.mismatch(missing: ["running_mean", "running_var", "num_batches_tracked"], unexpected: [], misshapen: [])
        ) {
            try bn.loadStateDict(["weight": .ones([4]), "bias": .zeros([4])])
        }
        // Gradients reach γ and β, never the statistics.
        var rng = FinchRNG(seed: 6)
        bn(Tensor.randomNormal([2, 4, 3, 3], rng: &rng)).sum().backward()
        #expect(bn.weight.grad != nil && bn.runningMean.grad == nil)
    }

    @Test func poolingAndFlattenLayers() {
        var rng = FinchRNG(seed: 7)
        let x = Tensor.randomNormal([2, 3, 9, 6], rng: &rng)
        let pool = MaxPool2d(kernelSize: 2)
        #expect(pool.stride == 2 && pool(x).shape == [2, 3, 4, 3])
        #expect(pool(x)[1, 2, 3, 2] == [x[1, 2, 6, 4], x[1, 2, 6, 5], x[1, 2, 7, 4], x[1, 2, 7, 5]].max()!)
        let avg = AvgPool2d(kernelSize: 3, stride: 1, padding: 1)
        #expect(avg(x).shape == [2, 3, 9, 6])
        #expect(abs(avg(x)[0, 0, 0, 0] - (x[0, 0, 0, 0] + x[0, 0, 0, 1] + x[0, 0, 1, 0] + x[0, 0, 1, 1]) / 9) < 1e-6)
        let adaptive = AdaptiveAvgPool2d(outputSize: 1)
        #expect(abs(adaptive(x)[1, 1, 0, 0] - x.slice(axis: 0, 1..<2).slice(axis: 1, 1..<2).mean().item) < 1e-5)
        #expect(Flatten()(x).shape == [2, 162])
        #expect(Flatten(startDim: 2)(x).shape == [2, 3, 54])
        #expect(Flatten(startDim: 0, endDim: 1)(x).shape == [6, 9, 6])
        for layer in [pool, avg, adaptive, Flatten()] as [any Module] { #expect(layer.namedParameters().isEmpty) }
    }
}
