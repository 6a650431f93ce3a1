import Foundation

/// The figures of an int8 copy, as `finch quantize` records them in
/// `quantization.json`: the scheme, the speed of each model, and how close
/// the int8 outputs are to the float ones.
public struct QuantizationFacts: Sendable, Equatable, Codable {
    /// The file name in the model folder.
    public static let fileName = "quantization.json"

    /// The quantization scheme.
    public var scheme: String
    /// Texts measured on.
    public var texts: Int
    /// Seconds for the float and the int8 model on those texts.
    public var floatSeconds: Double, int8Seconds: Double
    /// int8 speed over float speed.
    public var speedup: Double
    /// Mean and smallest cosine of the int8 outputs to the float ones.
    public var meanCosine: Double, minCosine: Double
    /// The int8 kernel used.
    public var kernel: String
    /// Whether the copy passed the command's checks.
    public var checksPassed: Bool
    /// The folder the float model was copied from.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case scheme, texts, speedup, kernel, source
        case floatSeconds = "float_seconds"
        case int8Seconds = "int8_seconds"
        case meanCosine = "mean_cosine"
        case minCosine = "min_cosine"
        case checksPassed = "checks_passed"
    }

    /// The facts in `directory`, nil when it has no `quantization.json`.
    ///
    /// - Throws: `TaskError.invalidModelFile` naming a file that is not such a report.
    public static func readIfPresent(in directory: URL) throws -> QuantizationFacts? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try TaskError.decodeModelFile(QuantizationFacts.self, at: url)
    }

    /// The card's paragraph and table.
    public var section: String {
        var s = "Int8 copy (`quantization.json`, scheme `\(scheme)`, kernel `\(kernel)`), measured on \(texts) texts"
        s += checksPassed ? ":\n\n" : " (it did not pass the checks of `finch quantize` and was written with --force):\n\n"
        s += ModelCard.table(
            header: ["float seconds", "int8 seconds", "speed-up", "mean cosine", "min cosine"],
            rows: [[floatSeconds, int8Seconds, speedup, meanCosine, minCosine].map(ModelCard.number)])
        return s
    }
}
