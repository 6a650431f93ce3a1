import FinchNN
import FinchTensor

/// A Linear layer for int8 inference (dynamic quantization): the weight is
/// quantized once per output channel (`QuantizedWeights`), activations per
/// row at each call, the product runs in Finch's int8 GEMM and the bias is
/// added in its dequantizing epilogue. The float layer is left as it was.
public struct QuantizedLinear: Sendable {
    /// The quantized weight matrix (outputs × inputs).
    public let weights: QuantizedWeights
    /// The float bias, one per output, if the layer has one.
    public let bias: [Float]?

    /// Quantizes `linear`'s weight (its bias stays float). Returns nil for a
    /// layer with a LoRA adapter: merge the adapter into the weight first.
    public init?(_ linear: Linear) {
        guard linear.lora == nil else { return nil }
        weights = QuantizedWeights(
            quantizing: linear.weight.value.storage.pointer, outputs: linear.outFeatures, inputs: linear.inFeatures)
        bias = linear.bias.map { Array($0.value.storage.buffer) }
    }

    /// Already quantized weights and a float bias (as read back from a file).
    public init(weights: QuantizedWeights, bias: [Float]?) {
        precondition(bias.map { $0.count == weights.outputs } ?? true, "bias count differs from the outputs")
        self.weights = weights
        self.bias = bias
    }

    /// y = x·Wᵀ + b on raw rows: `x` [rows, inputs] → `y` [rows, outputs],
    /// split across Finch's workers; with `addsBias` false the bias is left out.
    public func infer(
        _ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, addsBias: Bool = true
    ) {
        if let bias, addsBias {
            bias.withUnsafeBufferPointer { b in
                Int8GEMM.linear(x, rows: rows, weights: weights, bias: b.baseAddress, into: y)
            }
        } else {
            Int8GEMM.linear(x, rows: rows, weights: weights, bias: nil, into: y)
        }
    }
}
