import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchVision

/// LeNet and ResNet-8 against PyTorch: the state dicts PyTorch saved
/// (`Tests/Fixtures/vision/torch_*.safetensors`, `Scripts/make_vision_fixtures.py`)
/// load strictly under the same keys and give the same logits.
@Suite struct ModelsParityTests {
    let fixture: TensorFixture

    init() throws { fixture = try TensorFixture.load("vision/models.json") }

    @Test func lenetFromAPyTorchStateDict() throws {
        var rng = FinchRNG(seed: 1)
        let model = LeNet(.init(inputChannels: 1, imageSize: 8, classCount: 10), rng: &rng)
        try VisionCheckpoint.load(model, from: TestSupport.fixtureURL("vision/torch_lenet.safetensors"))
        model.eval()
        let y = model(try fixture.tensor("lenet.input"))
        let expected = try fixture.tensor("lenet.output")
        #expect(TestSupport.isClose(y, expected, atol: 1e-5), "max diff \(TestSupport.maxAbsDifference(y, expected))")
    }

    @Test func resnet8FromAPyTorchStateDictInBothModes() throws {
        var rng = FinchRNG(seed: 2)
        let model = ResNet.resnet8(inputChannels: 3, classCount: 10, rng: &rng)
        let url = TestSupport.fixtureURL("vision/torch_resnet8.safetensors")
        #expect(Set(model.stateDict().keys) == Set(try SafetensorsFile(contentsOf: url).names))
        try VisionCheckpoint.load(model, from: url)
        #expect(model.layers[0].blocks[0].bn1.numBatchesTracked.value.item == 7)
        let x = try fixture.tensor("resnet8.input")
        model.eval()
        let eval = model(x)
        let expectedEval = try fixture.tensor("resnet8.output_eval")
        #expect(TestSupport.isClose(eval, expectedEval, atol: 1e-4), "eval: max diff \(TestSupport.maxAbsDifference(eval, expectedEval))")
        model.train()
        let train = model(x)
        let expectedTrain = try fixture.tensor("resnet8.output_train")
        #expect(
            TestSupport.isClose(train, expectedTrain, atol: 1e-4), "train: max diff \(TestSupport.maxAbsDifference(train, expectedTrain))")
        // Every running statistic moved as PyTorch's did.
        let state = model.stateDict()
        var checked = 0
        for (name, entry) in fixture.tensors where name.hasPrefix("resnet8.after.") {
            let key = String(name.dropFirst("resnet8.after.".count))
            let got = try #require(state[key], "no \(key)")
            #expect(TestSupport.isClose(got, Tensor(shape: entry.shape, values: entry.data), atol: 1e-4), "\(key)")
            checked += 1
        }
        #expect(checked == 3 * 9)  // nine BatchNorm2d layers, three buffers each
    }

    @Test func resnet8HasTorchvisionsModuleNames() {
        var rng = FinchRNG(seed: 3)
        let keys = Set(ResNet.resnet8(rng: &rng).stateDict().keys)
        for key in [
            "conv1.weight", "bn1.running_var", "layer1.0.conv1.weight", "layer1.0.bn2.num_batches_tracked",
            "layer2.0.downsample.0.weight", "layer3.0.downsample.1.running_mean", "fc.weight", "fc.bias",
        ] {
            #expect(keys.contains(key), "\(key)")
        }
        #expect(!keys.contains("layer1.0.downsample.0.weight"))  // same width and stride: identity shortcut
        #expect(!keys.contains("conv1.bias"))
    }

    @Test(arguments: [(1, 8, 64), (1, 28, 784), (3, 32, 1024)])
    func lenetCoversDigitsMNISTAndCIFARSizes(channels: Int, size: Int, features: Int) {
        var rng = FinchRNG(seed: 4)
        let model = LeNet(.init(inputChannels: channels, imageSize: size, classCount: 7), rng: &rng)
        #expect(model.configuration.flatFeatures == features)
        #expect(model.fc1.inFeatures == features)
        let y = model(Tensor.randomNormal([2, channels, size, size], rng: &rng))
        #expect(y.shape == [2, 7])
        #expect(y.scalars.allSatisfy { $0.isFinite })
    }
}
