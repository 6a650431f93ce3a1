import Foundation

/// What `finch evaluate --json` prints for a classifier:
/// `{"accuracy": x, "macro_f1": x, "weighted_f1": x, "labels": {"L":
/// {"precision": x, "recall": x, "f1": x, "support": n}}}`.
public struct ClassificationEvaluation: Equatable, Sendable, Codable {
    /// Fraction of examples predicted correctly.
    public var accuracy: Double
    /// Unweighted mean of the per-label F1.
    public var macroF1: Double
    /// Support-weighted mean of the per-label F1.
    public var weightedF1: Double
    /// Scores per label.
    public var labels: [String: LabelScores]

    /// An evaluation from its parts.
    public init(accuracy: Double, macroF1: Double, weightedF1: Double, labels: [String: LabelScores]) {
        self.accuracy = accuracy
        self.macroF1 = macroF1
        self.weightedF1 = weightedF1
        self.labels = labels
    }

    private enum CodingKeys: String, CodingKey {
        case accuracy
        case macroF1 = "macro_f1"
        case weightedF1 = "weighted_f1"
        case labels
    }

    /// Writes the documented keys; a NaN score as null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeFinite(accuracy, forKey: .accuracy)
        try c.encodeFinite(macroF1, forKey: .macroF1)
        try c.encodeFinite(weightedF1, forKey: .weightedF1)
        try c.encode(labels, forKey: .labels)
    }

    /// Reads what `encode(to:)` writes (null → NaN).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        accuracy = try c.decodeIfPresent(Double.self, forKey: .accuracy) ?? .nan
        macroF1 = try c.decodeIfPresent(Double.self, forKey: .macroF1) ?? .nan
        weightedF1 = try c.decodeIfPresent(Double.self, forKey: .weightedF1) ?? .nan
        labels = try c.decode([String: LabelScores].self, forKey: .labels)
    }

    /// One line of JSON with sorted keys, as `finch evaluate --json` prints it.
    public func jsonString() throws -> String { try encodeSortedJSON(self) }
}
