import FinchNN
import FinchTensor
import Foundation

/// Vision models in safetensors with PyTorch's state-dict keys, so a file
/// saved from `model.state_dict()` of the same architecture loads here and
/// the other way round. `num_batches_tracked` is stored as I64, as PyTorch
/// holds it; every other tensor as F32.
public enum VisionCheckpoint {
    /// Writes every parameter and buffer of `model` to `url`.
    public static func save(_ model: any Module, to url: URL, metadata: [String: String] = ["format": "pt"]) throws {
        var floats: [String: Tensor] = [:], integers: [String: Int64Tensor] = [:]
        for (name, tensor) in model.stateDict() {
            if isCounter(name) {
                integers[name] = Int64Tensor(shape: tensor.shape, scalars: tensor.scalars.map { Int64($0.rounded()) })
            } else {
                floats[name] = tensor
            }
        }
        try Safetensors.write(floats, integers: integers, metadata: metadata, to: url)
    }

    /// Loads `url` into `model`, strictly (every key of the model, no other,
    /// same shapes; `StateDictError` names the ones that differ). Float
    /// tensors of any float dtype and integer counters are accepted.
    public static func load(_ model: any Module, from url: URL) throws {
        let file = try SafetensorsFile(contentsOf: url)
        var state: [String: Tensor] = [:]
        for name in file.names {
            guard let info = file.info(name) else { continue }
            if info.dtype.isReadableAsFloat {
                state[name] = try file.tensor(named: name)
            } else {
                let values = try file.int64Tensor(named: name)
                state[name] = Tensor(shape: values.shape, values: values.scalars.map { Float($0) })
            }
        }
        try model.loadStateDict(state)
    }

    /// True for the buffers PyTorch keeps as integers.
    static func isCounter(_ name: String) -> Bool { name == "num_batches_tracked" || name.hasSuffix(".num_batches_tracked") }
}
