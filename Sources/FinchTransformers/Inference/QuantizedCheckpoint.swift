import FinchNN
import FinchTensor
import Foundation

/// Saving and loading the int8 weights of a model quantized for inference
/// (`BertModel.quantizeForInference`): one safetensors file holding, for
/// each quantized Linear layer at module path P (as in the checkpoint, e.g.
/// `encoder.layer.0.attention.self.query`), `P.weight_int8` (I8, outputs ×
/// inputs) and `P.weight_scale` (F32, one per output channel), with
/// `__metadata__` `finch_quantization` = `dynamic-int8`. Biases stay in the
/// float checkpoint.
extension BertModel {
    /// The metadata value that marks a file of int8 inference weights.
    public static let inferenceQuantizationScheme = "dynamic-int8"

    /// Module paths of the Linear layers `quantizeForInference` covers.
    var linearLayerPaths: [(path: String, layer: Linear)] {
        let layers = linearLayers
        var byWeight: [ObjectIdentifier: Linear] = [:]
        for layer in layers { byWeight[ObjectIdentifier(layer.weight)] = layer }
        var out: [(String, Linear)] = []
        for (name, parameter) in namedParameters() where name.hasSuffix(".weight") {
            if let layer = byWeight[ObjectIdentifier(parameter)] { out.append((String(name.dropLast(7)), layer)) }
        }
        return out
    }

    /// Writes the int8 weights and scales of every layer quantized for
    /// inference to `url`. Throws `QuantizedCheckpointError.notQuantized`
    /// when no layer is.
    public func saveInferenceQuantization(to url: URL) throws {
        var int8: [String: Int64Tensor] = [:], scales: [String: Tensor] = [:]
        for (path, layer) in linearLayerPaths {
            guard let q = QuantizedInference.lookup(layer) else { continue }
            let w = q.weights
            int8[path + ".weight_int8"] = Int64Tensor(shape: [w.outputs, w.inputs], scalars: w.values.map { Int64($0) })
            scales[path + ".weight_scale"] = Tensor(shape: [w.outputs], values: w.scales)
        }
        guard !int8.isEmpty else { throw QuantizedCheckpointError.notQuantized(file: url.path) }
        try Safetensors.write(
            scales, int8: int8, metadata: ["finch_quantization": Self.inferenceQuantizationScheme], to: url)
    }

    /// Reads int8 weights written by `saveInferenceQuantization` and makes
    /// `inference` run them: every Linear layer of the encoder and pooler
    /// must be in the file with its shape. Returns the number of layers.
    @discardableResult
    public func loadInferenceQuantization(from url: URL) throws -> Int {
        let file = try SafetensorsFile(contentsOf: url)
        guard file.metadata["finch_quantization"] == Self.inferenceQuantizationScheme else {
            throw QuantizedCheckpointError.notAQuantizationFile(file: url.path)
        }
        var loaded: [(Linear, QuantizedLinear)] = []
        for (path, layer) in linearLayerPaths {
            let values = try file.int64Tensor(named: path + ".weight_int8")
            let scales = try file.tensor(named: path + ".weight_scale")
            let expected = [layer.outFeatures, layer.inFeatures]
            guard values.shape == expected, scales.shape == [layer.outFeatures],
                let weights = QuantizedWeights(
                    values: values.scalars.map { Int8(clamping: $0) }, scales: Array(scales.storage.buffer),
                    outputs: layer.outFeatures, inputs: layer.inFeatures)
            else {
                throw QuantizedCheckpointError.shapeMismatch(
                    file: url.path, layer: path, expected: expected, found: values.shape)
            }
            loaded.append((layer, QuantizedLinear(weights: weights, bias: layer.bias.map { Array($0.value.storage.buffer) })))
        }
        for (layer, q) in loaded { QuantizedInference.set(layer, q) }
        return loaded.count
    }
}

/// Errors reading or writing int8 inference weights; each names the file.
public enum QuantizedCheckpointError: Error, CustomStringConvertible, Equatable {
    /// Saving a model none of whose layers is quantized.
    case notQuantized(file: String)
    /// The file lacks the `finch_quantization` metadata of int8 weights.
    case notAQuantizationFile(file: String)
    /// A layer's int8 weight has another shape than the model's layer.
    case shapeMismatch(file: String, layer: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case let .notQuantized(file):
            return "\(file): no layer of the model is quantized, so there are no int8 weights to write"
        case let .notAQuantizationFile(file):
            return "\(file): not a file of int8 inference weights (no finch_quantization = dynamic-int8 metadata)"
        case let .shapeMismatch(file, layer, expected, found):
            return "\(file): \(layer).weight_int8 has shape \(found), the model's layer needs \(expected)"
        }
    }
}
