import FinchNN
import FinchTensor
import Foundation

/// Which Linear layers run in int8 on the inference path: `Linear.infer`
/// looks each layer up here and, when it has a quantized twin, runs
/// `QuantizedLinear` instead of the float GEMM. The differentiable path
/// (training) never reads it. Entries hold the layer weakly, so a layer
/// freed and another allocated at its address is never mistaken for it.
enum QuantizedInference {
    private struct Entry {
        weak var layer: Linear?
        let quantized: QuantizedLinear
    }
    private static let lock = NSLock()
    nonisolated(unsafe) private static var table: [ObjectIdentifier: Entry] = [:]  // guarded by `lock`

    /// The quantized twin of `layer`, if it has one.
    static func lookup(_ layer: Linear) -> QuantizedLinear? {
        lock.withLock {
            guard let entry = table[ObjectIdentifier(layer)], entry.layer === layer else { return nil }
            return entry.quantized
        }
    }

    /// Sets (or, with nil, removes) the quantized twin of `layer`.
    static func set(_ layer: Linear, _ quantized: QuantizedLinear?) {
        lock.withLock {
            table = table.filter { $0.value.layer != nil }
            table[ObjectIdentifier(layer)] = quantized.map { Entry(layer: layer, quantized: $0) }
        }
    }
}

extension BertModel {
    /// The Linear layers of the encoder and pooler.
    var linearLayers: [Linear] {
        var layers: [Linear] = encoder.layer.flatMap { block -> [Linear] in
            let a = block.attention
            return [
                a.selfAttention.query, a.selfAttention.key, a.selfAttention.value, a.output.dense,
                block.intermediate.dense, block.output.dense,
            ]
        }
        if let pooler { layers.append(pooler.dense) }
        return layers
    }

    /// Makes `inference` (and everything built on it: embedders, heads'
    /// inference) run the encoder's and pooler's Linear layers in int8 with
    /// dynamic quantization: weights quantized now per output channel,
    /// activations per row at run time; embeddings, layer norm, softmax and
    /// GELU stay float. The float weights are kept: training and the
    /// differentiable forward are unchanged. Layers with a LoRA adapter stay
    /// float. The int8 weights are a snapshot: quantize after training, as
    /// later changes to the float weights do not reach them. Returns the
    /// number of layers quantized.
    @discardableResult
    public func quantizeForInference() -> Int {
        var count = 0
        for layer in linearLayers {
            if let q = QuantizedLinear(layer) {
                QuantizedInference.set(layer, q)
                count += 1
            }
        }
        return count
    }

    /// Returns `inference` to float for every layer.
    public func removeInferenceQuantization() {
        for layer in linearLayers { QuantizedInference.set(layer, nil) }
    }

    /// True when some Linear layer runs in int8 in `inference`.
    public var isQuantizedForInference: Bool { linearLayers.contains { QuantizedInference.lookup($0) != nil } }
}
