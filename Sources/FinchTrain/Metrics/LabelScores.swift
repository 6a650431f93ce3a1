/// Precision, recall, F1 and support of one label or one average row.
public struct LabelScores: Equatable, Sendable, Codable {
    /// tp / (tp + fp).
    public var precision: Double
    /// tp / (tp + fn).
    public var recall: Double
    /// The harmonic mean of precision and recall.
    public var f1: Double
    /// Number of true occurrences (for an average row: summed over its labels).
    public var support: Int

    /// Scores as given.
    public init(precision: Double, recall: Double, f1: Double, support: Int) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }

    /// JSON keys as in `finch evaluate --json`: precision, recall, f1, support.
    /// A NaN score (only with `ZeroDivision.nan`) is written as null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeFinite(precision, forKey: .precision)
        try c.encodeFinite(recall, forKey: .recall)
        try c.encodeFinite(f1, forKey: .f1)
        try c.encode(support, forKey: .support)
    }

    /// Reads what `encode(to:)` writes (null → NaN).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        precision = try c.decodeIfPresent(Double.self, forKey: .precision) ?? .nan
        recall = try c.decodeIfPresent(Double.self, forKey: .recall) ?? .nan
        f1 = try c.decodeIfPresent(Double.self, forKey: .f1) ?? .nan
        support = try c.decode(Int.self, forKey: .support)
    }

    private enum CodingKeys: String, CodingKey { case precision, recall, f1, support }
}

/// The value a score takes when its denominator is zero: precision of a
/// label never predicted, recall of a label never true, F1 of a label
/// neither true nor predicted. scikit-learn's and seqeval's `zero_division`.
public enum ZeroDivision: String, Sendable, Codable, CaseIterable {
    /// 0.0, the default of both libraries (`"warn"`, which also warns).
    case zero
    /// 1.0.
    case one
    /// NaN, left out of averages (scikit-learn only).
    case nan

    var value: Double {
        switch self {
        case .zero: return 0
        case .one: return 1
        case .nan: return .nan
        }
    }
}

extension KeyedEncodingContainer {
    /// Encodes `value`, or null when it is NaN or infinite (JSON has no such numbers).
    mutating func encodeFinite(_ value: Double, forKey key: Key) throws {
        if value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}

/// scikit-learn's per-label arithmetic (`precision_recall_fscore_support`,
/// β = 1) from counts: precision tp/pred, recall tp/true, F1 2·tp/(true+pred),
/// each `zeroDivision` where its denominator is 0.
enum SklearnScores {
    static func divide(_ numerator: Int, _ denominator: Int, _ zeroDivision: ZeroDivision) -> Double {
        denominator == 0 ? zeroDivision.value : Double(numerator) / Double(denominator)
    }

    /// Precision, recall, F1 of one set of counts.
    static func scores(tp: Int, predicted: Int, actual: Int, _ zeroDivision: ZeroDivision) -> (Double, Double, Double) {
        (
            divide(tp, predicted, zeroDivision),
            divide(tp, actual, zeroDivision),
            actual + predicted == 0 ? zeroDivision.value : (2 * Double(tp)) / Double(actual + predicted)
        )
    }

    /// Per-label scores, and the micro, macro and weighted rows, from
    /// per-label counts.
    static func report(
        tp: [Int], predicted: [Int], actual: [Int], _ zeroDivision: ZeroDivision
    ) -> (perLabel: [LabelScores], micro: LabelScores, macro: LabelScores, weighted: LabelScores) {
        var p: [Double] = [], r: [Double] = [], f: [Double] = []
        for i in tp.indices {
            let (pi, ri, fi) = scores(tp: tp[i], predicted: predicted[i], actual: actual[i], zeroDivision)
            p.append(pi)
            r.append(ri)
            f.append(fi)
        }
        let perLabel = tp.indices.map { LabelScores(precision: p[$0], recall: r[$0], f1: f[$0], support: actual[$0]) }
        let support = actual.reduce(0, +)
        let (mp, mr, mf) = scores(
            tp: tp.reduce(0, +), predicted: predicted.reduce(0, +), actual: support, zeroDivision)
        let micro = LabelScores(precision: mp, recall: mr, f1: mf, support: support)
        let macro = LabelScores(
            precision: NumPyArithmetic.nanAverage(p), recall: NumPyArithmetic.nanAverage(r),
            f1: NumPyArithmetic.nanAverage(f), support: support)
        let w = actual.map(Double.init)
        let weighted = LabelScores(
            precision: NumPyArithmetic.nanAverage(p, weights: w), recall: NumPyArithmetic.nanAverage(r, weights: w),
            f1: NumPyArithmetic.nanAverage(f, weights: w), support: support)
        return (perLabel, micro, macro, weighted)
    }
}
