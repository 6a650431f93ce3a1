import CFinchKernels

/// A Linear layer's weight matrix quantized for the int8 GEMM: one signed
/// 8-bit value per weight and one scale per output channel (row), so that
/// w[j][p] ≈ `scales[j]` · `values[j * inputs + p]` within `scales[j]` / 2.
/// `columnSums` (the sum of each row's values) is what the dequantizing
/// epilogue needs to undo the activations' zero point.
public struct QuantizedWeights: Sendable, Equatable {
    /// Output channels (rows of the weight matrix).
    public let outputs: Int
    /// Inputs (columns of the weight matrix).
    public let inputs: Int
    /// outputs × inputs values in [−127, 127], row-major.
    public let values: [Int8]
    /// One scale per output channel.
    public let scales: [Float]
    /// Σ values of each output channel.
    public let columnSums: [Int32]

    /// Quantizes a row-major outputs × inputs float matrix: scale = max|w| / 127
    /// per row (1 for an all-zero row), values rounded to nearest.
    public init(quantizing weight: UnsafePointer<Float>, outputs: Int, inputs: Int) {
        precondition(outputs >= 0 && inputs >= 0, "negative weight shape")
        self.outputs = outputs
        self.inputs = inputs
        var values = [Int8](repeating: 0, count: outputs * inputs)
        var scales = [Float](repeating: 1, count: outputs), sums = [Int32](repeating: 0, count: outputs)
        values.withUnsafeMutableBufferPointer { v in
            scales.withUnsafeMutableBufferPointer { s in
                sums.withUnsafeMutableBufferPointer { c in
                    if let base = v.baseAddress, let sp = s.baseAddress, let cp = c.baseAddress {
                        finch_quantize_weights_s8(outputs, inputs, weight, inputs, base, inputs, sp, cp)
                    }
                }
            }
        }
        self.values = values
        self.scales = scales
        self.columnSums = sums
    }

    /// Quantizes `weight` (outputs × inputs, row-major).
    public init(quantizing weight: [Float], outputs: Int, inputs: Int) {
        precondition(weight.count == outputs * inputs, "weight has \(weight.count) values, not \(outputs)×\(inputs)")
        self = weight.withUnsafeBufferPointer { w in
            QuantizedWeights(
                quantizing: w.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Float>.alignment)!,
                outputs: outputs, inputs: inputs)
        }
    }

    /// Weights already quantized (as read back from a file): `values` row-major
    /// outputs × inputs, one scale per output. The column sums are recomputed.
    /// Returns nil when the counts do not match the shape.
    public init?(values: [Int8], scales: [Float], outputs: Int, inputs: Int) {
        guard outputs >= 0, inputs >= 0, values.count == outputs * inputs, scales.count == outputs else { return nil }
        self.outputs = outputs
        self.inputs = inputs
        self.values = values
        self.scales = scales
        self.columnSums = (0..<outputs).map { j in
            var s: Int32 = 0
            for p in 0..<inputs { s += Int32(values[j * inputs + p]) }
            return s
        }
    }

    /// The float matrix the quantized values stand for (scale · value).
    public func dequantized() -> [Float] {
        var out = [Float](repeating: 0, count: outputs * inputs)
        for j in 0..<outputs {
            for p in 0..<inputs { out[j * inputs + p] = scales[j] * Float(values[j * inputs + p]) }
        }
        return out
    }
}
