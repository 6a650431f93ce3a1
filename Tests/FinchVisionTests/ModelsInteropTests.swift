import FinchNN
import FinchTensor
import FinchTestSupport
import Foundation
import Testing

@testable import FinchVision

/// Finch-saved vision models load in PyTorch. `Scripts/make_vision_fixtures.py
/// --check-finch` runs this suite with `FINCH_VISION_EXPORT` set (the files
/// and Finch's logits are copied there), loads the files into the same
/// PyTorch modules strictly and records PyTorch's logits in
/// `Tests/Fixtures/vision/finch_in_torch.json`; this test checks that Finch
/// still saves those models and computes those logits.
@Suite struct ModelsInteropTests {
    /// The exported models: seeded, the ResNet after one training-mode step
    /// so its running statistics and counters are not the initial ones.
    static func models() -> [(name: String, model: any Module, run: (Tensor) -> Tensor, input: Tensor)] {
        var rng = FinchRNG(seed: 19)
        let lenet = LeNet(.init(inputChannels: 1, imageSize: 8, classCount: 10), rng: &rng)
        let resnet = ResNet.resnet8(inputChannels: 3, classCount: 10, rng: &rng)
        _ = resnet(Tensor.randomNormal([4, 3, 12, 12], mean: 0.5, std: 2, rng: &rng))
        lenet.eval()
        resnet.eval()
        return [
            ("lenet", lenet, { lenet($0) }, Tensor.randomNormal([3, 1, 8, 8], rng: &rng)),
            ("resnet8", resnet, { resnet($0) }, Tensor.randomNormal([2, 3, 12, 12], rng: &rng)),
        ]
    }

    struct Exported: Codable {
        let shape: [Int]
        let data: [Float]
    }

    @Test func finchSavedFilesLoadInPyTorch() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("finch-vision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var exported: [String: [String: Exported]] = [:]
        var fresh = FinchRNG(seed: 7)
        let blanks: [String: any Module] = [
            "lenet": LeNet(.init(inputChannels: 1, imageSize: 8, classCount: 10), rng: &fresh), "resnet8": ResNet.resnet8(rng: &fresh),
        ]
        let models = Self.models()
        var outputs: [String: Tensor] = [:]
        for (name, model, run, input) in models {
            let url = directory.appendingPathComponent("finch_\(name).safetensors")
            try VisionCheckpoint.save(model, to: url)
            let output = run(input)
            outputs[name] = output
            exported[name] = [
                "input": Exported(shape: input.shape, data: input.scalars), "output": Exported(shape: output.shape, data: output.scalars),
            ]
            if let target = ProcessInfo.processInfo.environment["FINCH_VISION_EXPORT"] {
                try FileManager.default.copyItem(at: url, to: URL(fileURLWithPath: target).appendingPathComponent(url.lastPathComponent))
            }
        }
        if let target = ProcessInfo.processInfo.environment["FINCH_VISION_EXPORT"] {
            try JSONEncoder().encode(exported).write(to: URL(fileURLWithPath: target).appendingPathComponent("finch_outputs.json"))
        }
        let check =
            try JSONSerialization.jsonObject(with: Data(contentsOf: TestSupport.fixtureURL("vision/finch_in_torch.json"))) as? [String: Any]
        let recorded = try TensorFixture.load("vision/finch_in_torch.json")
        for (name, model, _, input) in models {
            let url = directory.appendingPathComponent("finch_\(name).safetensors")
            let output = try #require(outputs[name])
            // num_batches_tracked is saved as I64, as PyTorch keeps it.
            let file = try SafetensorsFile(contentsOf: url)
            for key in file.names where key.hasSuffix("num_batches_tracked") { #expect(file.info(key)?.dtype == .int64, "\(key)") }
            // The file loads back into a fresh model with the same outputs.
            let blank = try #require(blanks[name])
            try VisionCheckpoint.load(blank, from: url)
            blank.eval()
            #expect(blank.stateDict().mapValues(\.scalars) == model.stateDict().mapValues(\.scalars))
            // What PyTorch computed from the file this test wrote when the script ran.
            let keys = check?["\(name)_keys"] as? [String]
            #expect(keys == model.stateDict().keys.sorted(), "\(name): PyTorch loaded other keys")
            let diff = try #require(check?["\(name)_max_abs_diff"] as? Double)
            #expect(diff < 1e-4, "\(name): PyTorch's logits differed by \(diff)")
            #expect(
                TestSupport.isClose(try recorded.tensor("\(name).input"), input, atol: 0, rtol: 0),
                "\(name): input changed; rerun the script")
            let torchOutput = try recorded.tensor("\(name).torch_output")
            #expect(TestSupport.isClose(output, torchOutput, atol: 1e-4), "\(name): \(TestSupport.maxAbsDifference(output, torchOutput))")
        }
        #expect((check?["resnet8_num_batches_tracked_dtypes"] as? [String]) == ["torch.int64"])
    }
}
