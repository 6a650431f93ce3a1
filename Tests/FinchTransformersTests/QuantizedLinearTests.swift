import FinchNN
import FinchTensor
import Foundation
import Testing

@testable import FinchTransformers

/// `QuantizedLinear` computes the float layer's function within the error
/// that int8 quantization of the weight (per output channel) and of the
/// input (per row) allows, with and without a bias.
@Suite struct QuantizedLinearTests {
    @Test(arguments: [true, false])
    func matchesTheFloatLayerWithinTheQuantizationBound(withBias: Bool) throws {
        var rng = FinchRNG(seed: 11)
        let (rows, inputs, outputs) = (37, 129, 45)
        let linear = Linear(inFeatures: inputs, outFeatures: outputs, bias: withBias, rng: &rng)
        let quantized = try #require(QuantizedLinear(linear))
        #expect((quantized.bias != nil) == withBias)
        let x = (0..<(rows * inputs)).map { _ in rng.nextNormal() + 0.2 }
        var float = [Float](repeating: 0, count: rows * outputs), int8 = float
        x.withUnsafeBufferPointer { xb in
            BlasThreading.singleThreaded { linear.infer(xb.baseAddress!, rows: rows, into: &float) }
            quantized.infer(xb.baseAddress!, rows: rows, into: &int8)
        }
        let w = Array(linear.weight.value.storage.buffer)
        var outside = 0, worst: Float = 0
        for i in 0..<rows {
            let row = x[(i * inputs)..<((i + 1) * inputs)]
            let rs = (Swift.max(row.max()!, 0) - Swift.min(row.min()!, 0)) / 255
            for j in 0..<outputs {
                let cs = quantized.weights.scales[j]
                var sumW: Float = 0, sumX: Float = 0
                for p in 0..<inputs {
                    sumW += Swift.abs(w[j * inputs + p])
                    sumX += Swift.abs(x[i * inputs + p]) + rs / 2
                }
                let bound = rs / 2 * sumW + cs / 2 * sumX
                let d = Swift.abs(int8[i * outputs + j] - float[i * outputs + j])
                if d > bound * 1.001 + 1e-5 { outside += 1 }
                worst = Swift.max(worst, d)
            }
        }
        #expect(outside == 0, "\(outside) outputs outside the quantization bound")
        #expect(worst > 0, "the int8 path returned the float result: it did not quantize")
    }

    @Test func refusesALayerWithALoRAAdapter() {
        var rng = FinchRNG(seed: 2)
        let linear = Linear(inFeatures: 8, outFeatures: 4, rng: &rng)
        linear.attachLoRA(rank: 2, alpha: 4, dropout: 0, rng: &rng)
        #expect(QuantizedLinear(linear) == nil)
    }
}
