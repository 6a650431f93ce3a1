import FinchTensor
import Foundation

/// What int8 quantization did to a sentence embedder, measured on the same
/// texts before and after: speed of `embed` and the cosine of each int8
/// sentence vector to its float one.
public struct QuantizationReport: Sendable, Equatable {
    /// Texts embedded.
    public let texts: Int
    /// Seconds for `embed` on all texts in float (median of the runs).
    public let floatSeconds: Double
    /// Seconds for `embed` on all texts in int8 (median of the runs).
    public let int8Seconds: Double
    /// Mean cosine between int8 and float sentence vectors.
    public let meanCosine: Double
    /// Lowest cosine between an int8 sentence vector and its float one.
    public let minCosine: Double
    /// The int8 micro-kernel that ran.
    public let kernel: String

    /// floatSeconds / int8Seconds.
    public var speedup: Double { floatSeconds / int8Seconds }
}

extension SentenceEmbedder {
    /// File name of the int8 inference weights beside a model's
    /// `model.safetensors`; `init(contentsOf:)` loads them when present.
    public static let int8WeightsFile = "model.int8.safetensors"

    /// Quantizes the model for inference (`BertModel.quantizeForInference`)
    /// and measures it against the float model on `tokenIDs`: `runs` timed
    /// passes each (after one untimed), medians. The model stays quantized.
    public func quantizeMeasuring(tokenIDs: [[Int]], runs: Int = 3, batchSize: Int = 32) throws -> QuantizationReport {
        model.removeInferenceQuantization()
        func timed() throws -> (Tensor, Double) {
            var out = try embed(tokenIDs: tokenIDs, batchSize: batchSize)
            var times: [Double] = []
            for _ in 0..<Swift.max(runs, 1) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                out = try embed(tokenIDs: tokenIDs, batchSize: batchSize)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            return (out, times.sorted()[times.count / 2])
        }
        let (float, floatSeconds) = try timed()
        model.quantizeForInference()
        let (int8, int8Seconds) = try timed()
        let rows = float.shape[0], d = float.shape[1]
        var total = 0.0, worst = 1.0
        for r in 0..<rows {
            var dot = 0.0, na = 0.0, nb = 0.0
            for j in 0..<d {
                let a = Double(int8.storage.pointer[r * d + j]), b = Double(float.storage.pointer[r * d + j])
                dot += a * b
                na += a * a
                nb += b * b
            }
            let c = na > 0 && nb > 0 ? dot / (na * nb).squareRoot() : (na == nb ? 1 : 0)
            total += c
            worst = Swift.min(worst, c)
        }
        return QuantizationReport(
            texts: rows, floatSeconds: floatSeconds, int8Seconds: int8Seconds,
            meanCosine: rows > 0 ? total / Double(rows) : 1, minCosine: worst, kernel: Int8GEMM.kernelName)
    }
}
