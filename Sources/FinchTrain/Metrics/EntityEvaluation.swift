import Foundation

/// What `finch evaluate --json` prints for a tagger: entity-level micro
/// `{"precision": x, "recall": x, "f1": x, "labels": {"PER": {"precision": x,
/// "recall": x, "f1": x, "support": n}}}` (labels are entity types).
public struct EntityEvaluation: Equatable, Sendable, Codable {
    /// Micro-averaged precision over all entities.
    public var precision: Double
    /// Micro-averaged recall.
    public var recall: Double
    /// Micro-averaged F1.
    public var f1: Double
    /// Scores per entity type.
    public var labels: [String: LabelScores]

    /// An evaluation from its parts.
    public init(precision: Double, recall: Double, f1: Double, labels: [String: LabelScores]) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.labels = labels
    }

    private enum CodingKeys: String, CodingKey { case precision, recall, f1, labels }

    /// Writes the documented keys; a NaN score as null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeFinite(precision, forKey: .precision)
        try c.encodeFinite(recall, forKey: .recall)
        try c.encodeFinite(f1, forKey: .f1)
        try c.encode(labels, forKey: .labels)
    }

    /// Reads what `encode(to:)` writes (null → NaN).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        precision = try c.decodeIfPresent(Double.self, forKey: .precision) ?? .nan
        recall = try c.decodeIfPresent(Double.self, forKey: .recall) ?? .nan
        f1 = try c.decodeIfPresent(Double.self, forKey: .f1) ?? .nan
        labels = try c.decode([String: LabelScores].self, forKey: .labels)
    }

    /// One line of JSON with sorted keys, as `finch evaluate --json` prints it.
    public func jsonString() throws -> String { try encodeSortedJSON(self) }
}

/// `value` as one line of JSON with sorted keys and unescaped slashes.
func encodeSortedJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
