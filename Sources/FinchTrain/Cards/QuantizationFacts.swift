import Foundation

/// The figures of an int8 copy, as `finch quantize` records them in
/// `quantization.json`: the scheme, the speed of each model, and how close
/// the int8 outputs are to the float ones — for an embedder the cosine of
/// the sentence vectors, for a classifier or tagger the share of predictions
/// kept and, when it was measured on labelled data, the task metric of each.
public struct QuantizationFacts: Sendable, Equatable, Codable {
    /// The file name in the model folder.
    public static let fileName = "quantization.json"

    /// The quantization scheme.
    public var scheme: String
    /// Texts (a tagger: sentences) measured on.
    public var texts: Int
    /// Seconds for the float and the int8 model on those texts.
    public var floatSeconds: Double, int8Seconds: Double
    /// int8 speed over float speed.
    public var speedup: Double
    /// Mean and smallest cosine of the int8 sentence vectors to the float ones (embedders).
    public var meanCosine: Double?, minCosine: Double?
    /// Share of predicted labels the int8 model keeps (classifiers, taggers).
    public var agreement: Double?
    /// The task metric compared and its value for the float and the int8 model (given labelled data).
    public var metric: String?, floatMetric: Double?, int8Metric: Double?
    /// The int8 kernel used.
    public var kernel: String
    /// Whether the copy passed the command's checks.
    public var checksPassed: Bool
    /// The folder the float model was copied from.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case scheme, texts, speedup, kernel, source, agreement, metric
        case floatMetric = "float_metric"
        case int8Metric = "int8_metric"
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
        var columns: [(String, Double)] = [("float seconds", floatSeconds), ("int8 seconds", int8Seconds), ("speed-up", speedup)]
        if let meanCosine { columns.append(("mean cosine", meanCosine)) }
        if let minCosine { columns.append(("min cosine", minCosine)) }
        if let agreement { columns.append(("predictions kept", agreement)) }
        if let metric, let floatMetric, let int8Metric {
            columns += [("float \(metric)", floatMetric), ("int8 \(metric)", int8Metric)]
        }
        s += ModelCard.table(header: columns.map(\.0), rows: [columns.map { ModelCard.number($0.1) }])
        return s
    }
}
