import FinchNN
import FinchTensor
import FinchTestSupport
import Testing

/// The tiny CNN of `Scripts/make_vision_fixtures.py`: conv → BatchNorm → ReLU →
/// max pool → conv → ReLU → flatten → linear, on [N, 2, 7, 7].
final class TinyCNN: Module {
    let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, fc: Linear
    var isTraining = true
    var children: [(name: String, module: any Module)] { [("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("fc", fc)] }

    init(rng: inout FinchRNG) {
        conv1 = Conv2d(inChannels: 2, outChannels: 4, kernelSize: 3, padding: 1, rng: &rng)
        bn1 = BatchNorm2d(features: 4)
        conv2 = Conv2d(inChannels: 4, outChannels: 5, kernelSize: 2, rng: &rng)
        fc = Linear(inFeatures: 20, outFeatures: 3, rng: &rng)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let h = bn1(conv1(x)).relu().maxPool2d(kernel: 2)  // [N, 4, 3, 3]
        return fc(conv2(h).relu().flattened(from: 1))  // [N, 3]
    }
}

/// Ten SGD steps with momentum of the tiny CNN from PyTorch's initial weights
/// and batches (`Tests/Fixtures/vision/trajectory.json`): every gradient at
/// step 0, the loss at every step, the final weights and running statistics.
@Suite struct ModelsTrajectoryTests {
    @Test func sgdMomentumTrajectoryEqualsPyTorch() throws {
        let fixture = try TensorFixture.load("vision/trajectory.json")
        var rng = FinchRNG(seed: 1)
        let model = TinyCNN(rng: &rng)
        func state(_ prefix: String) -> [String: Tensor] {
            var out: [String: Tensor] = [:]
            for (name, e) in fixture.tensors where name.hasPrefix(prefix) {
                out[String(name.dropFirst(prefix.count))] = Tensor(shape: e.shape, values: e.data)
            }
            return out
        }
        try model.loadStateDict(state("initial."))
        let optimizer = try SGD(
            parameters: model.trainableParameters(), configuration: .init(learningRate: Double(fixture.meta["lr"]!)!, momentum: 0.9))
        let losses = try fixture.tensor("losses").scalars
        #expect(losses.count == 10)
        for step in 0..<10 {
            model.zeroGrad()
            let x = try fixture.tensor("batch\(step).x"), y = try fixture.ints("batch\(step).y")
            let loss = model(x).crossEntropy(targets: y)
            loss.backward()
            #expect(abs(loss.item - losses[step]) <= 1e-5 + 1e-4 * abs(losses[step]), "step \(step): \(loss.item) vs \(losses[step])")
            if step == 0 {
                for (name, p) in model.namedParameters() {
                    let want = try fixture.tensor("grad0.\(name)")
                    let got = try #require(p.grad, "\(name) has no gradient")
                    #expect(
                        TestSupport.isClose(got, want, atol: 1e-5, rtol: 1e-3), "grad \(name): \(TestSupport.maxAbsDifference(got, want))")
                }
            }
            optimizer.step()
        }
        let final = state("final.")
        let mine = model.stateDict()
        #expect(Set(final.keys) == Set(mine.keys))
        for (name, want) in final {
            let got = try #require(mine[name])
            #expect(TestSupport.isClose(got, want, atol: 1e-4, rtol: 1e-3), "\(name): \(TestSupport.maxAbsDifference(got, want))")
        }
    }
}
