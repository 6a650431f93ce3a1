import FinchSupport
import Foundation

/// Group fairness of a classifier's predictions, the numbers Fairlearn gives
/// for the same inputs: `MetricFrame` per group (accuracy, precision, recall,
/// selection rate, false positive and false negative rates) and
/// `demographic_parity_difference`, `demographic_parity_ratio` and
/// `equalized_odds_difference` (all `method="between_groups"`, worst case).
public struct FairnessAudit: Sendable, Equatable, Codable {
    /// The label counted as positive.
    public var positiveLabel: String
    /// The sensitive feature's name (a column).
    public var sensitiveFeature: String
    /// Everyone together.
    public var overall: GroupMetrics
    /// Per group, groups in lexicographic order (as pandas' `groupby` sorts them).
    public var groups: [GroupMetrics]
    /// Largest minus smallest selection rate.
    public var demographicParityDifference: Double
    /// Smallest over largest selection rate (nil when every selection rate is 0: 0/0).
    public var demographicParityRatio: Double?
    /// The larger of the gaps in true positive rate and in false positive rate.
    public var equalizedOddsDifference: Double

    enum CodingKeys: String, CodingKey {
        case positiveLabel = "positive_label"
        case sensitiveFeature = "sensitive_feature"
        case overall, groups
        case demographicParityDifference = "demographic_parity_difference"
        case demographicParityRatio = "demographic_parity_ratio"
        case equalizedOddsDifference = "equalized_odds_difference"
    }

    /// Writes every field; an undefined ratio is `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(positiveLabel, forKey: .positiveLabel)
        try c.encode(sensitiveFeature, forKey: .sensitiveFeature)
        try c.encode(overall, forKey: .overall)
        try c.encode(groups, forKey: .groups)
        try c.encode(demographicParityDifference, forKey: .demographicParityDifference)
        try c.encode(demographicParityRatio, forKey: .demographicParityRatio)
        try c.encode(equalizedOddsDifference, forKey: .equalizedOddsDifference)
    }

    /// The audit of `predictions` against `labels` for the groups in `groups` (one per example).
    ///
    /// - Precondition: the three arrays have the same length.
    public init(labels: [String], predictions: [String], groups: [String], positiveLabel: String, sensitiveFeature: String = "group") {
        precondition(labels.count == predictions.count && labels.count == groups.count, "one label, prediction and group per example")
        self.positiveLabel = positiveLabel
        self.sensitiveFeature = sensitiveFeature
        overall = GroupMetrics(group: "overall", labels: labels, predictions: predictions, positiveLabel: positiveLabel)
        var members: [String: [Int]] = [:]
        for (i, g) in groups.enumerated() { members[g, default: []].append(i) }
        self.groups = members.keys.sorted().map { g in
            let idx = members[g]!
            return GroupMetrics(
                group: g, labels: idx.map { labels[$0] }, predictions: idx.map { predictions[$0] }, positiveLabel: positiveLabel)
        }
        func spread(_ values: [Double]) -> Double { (values.max() ?? 0) - (values.min() ?? 0) }
        let selection = self.groups.map(\.selectionRate)
        demographicParityDifference = spread(selection)
        let largest = selection.max() ?? 0
        demographicParityRatio = largest == 0 ? nil : (selection.min() ?? 0) / largest
        equalizedOddsDifference = max(spread(self.groups.map(\.recall)), spread(self.groups.map(\.falsePositiveRate)))
    }

    /// The file an audit is kept in, in the model folder (the model card reads it from there).
    public static let fileName = "fairness_audit.json"

    /// The audit kept in `directory`, nil when it has none.
    ///
    /// - Throws: `TaskError.invalidModelFile` naming a file that is not an audit.
    public static func readIfPresent(in directory: URL) throws -> FairnessAudit? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try TaskError.decodeModelFile(FairnessAudit.self, at: url)
    }

    /// The audit as pretty JSON (keys sorted). Throws `EncodingError` rather than return an empty text.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A table for people: one row per group, then the gaps.
    public var report: String {
        let header = ["group", "n", "accuracy", "precision", "recall", "selection", "FPR", "FNR"]
        let rows = ([overall] + groups).map { m in
            [m.group, String(m.count)]
                + [m.accuracy, m.precision, m.recall, m.selectionRate, m.falsePositiveRate, m.falseNegativeRate].map(Self.format)
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                c == 0
                    ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }
        var out = "Fairness audit by \(sensitiveFeature) (positive label: \(positiveLabel))\n\n"
        out += line(header) + "\n"
        for row in rows { out += line(row) + "\n" }
        out += "\ndemographic parity difference  \(Self.format(demographicParityDifference))\n"
        out += "demographic parity ratio       \(demographicParityRatio.map(Self.format) ?? "undefined (no group selected)")\n"
        out += "equalized odds difference      \(Self.format(equalizedOddsDifference))\n"
        return out
    }

    static func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
