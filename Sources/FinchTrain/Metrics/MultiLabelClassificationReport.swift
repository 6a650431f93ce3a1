/// scikit-learn's `classification_report` for multi-label classification
/// (each example has a set of labels; truth and predictions as indicator
/// rows): per-label scores and the `micro avg`, `macro avg`, `weighted avg`
/// and `samples avg` rows, with the same numbers and text.
///
/// Per label the definitions are those of `ClassificationReport`, each label
/// a yes/no decision. The samples average scores every example's predicted
/// set against its true set (tp = |T ∩ P|, precision tp/|P|, recall tp/|T|,
/// F1 2tp/(|T|+|P|)) and averages over examples.
public struct MultiLabelClassificationReport: Sendable {
    /// Label names, one per indicator column.
    public let labels: [String]
    /// Scores per label.
    public let scores: [LabelScores]
    /// Counts pooled over labels.
    public let micro: LabelScores
    /// Unweighted mean over labels.
    public let macro: LabelScores
    /// Support-weighted mean over labels.
    public let weighted: LabelScores
    /// Mean over examples of per-example scores.
    public let samples: LabelScores
    /// Fraction of examples whose predicted set equals the true set
    /// (`accuracy_score` on indicator rows, "subset accuracy").
    public let subsetAccuracy: Double

    /// Scores indicator rows: `truth[n][k]` says whether example n has label
    /// `labels[k]`.
    public init(truth: [[Bool]], predicted: [[Bool]], labels: [String], zeroDivision: ZeroDivision = .zero) {
        precondition(truth.count == predicted.count, "\(truth.count) true rows but \(predicted.count) predicted rows")
        precondition(!truth.isEmpty, "a classification report needs at least one example")
        let k = labels.count
        var tp = [Int](repeating: 0, count: k)
        var predictedCount = tp, actual = tp
        var sp: [Double] = [], sr: [Double] = [], sf: [Double] = []
        var exact = 0
        for (t, p) in zip(truth, predicted) {
            precondition(t.count == k && p.count == k, "every row needs \(k) columns")
            var rowTP = 0, rowP = 0, rowT = 0
            for j in 0..<k {
                if t[j] { actual[j] += 1; rowT += 1 }
                if p[j] { predictedCount[j] += 1; rowP += 1 }
                if t[j] && p[j] { tp[j] += 1; rowTP += 1 }
            }
            if t == p { exact += 1 }
            let (pi, ri, fi) = SklearnScores.scores(tp: rowTP, predicted: rowP, actual: rowT, zeroDivision)
            sp.append(pi)
            sr.append(ri)
            sf.append(fi)
        }
        let result = SklearnScores.report(tp: tp, predicted: predictedCount, actual: actual, zeroDivision)
        self.labels = labels
        self.scores = result.perLabel
        self.micro = result.micro
        self.macro = result.macro
        self.weighted = result.weighted
        self.samples = LabelScores(
            precision: NumPyArithmetic.nanAverage(sp), recall: NumPyArithmetic.nanAverage(sr),
            f1: NumPyArithmetic.nanAverage(sf), support: result.micro.support)
        self.subsetAccuracy = Double(exact) / Double(truth.count)
    }

    /// The report as scikit-learn prints it for indicator targets.
    public func text(digits: Int = 2) -> String {
        let layout = ReportLayout(names: labels, digits: digits)
        var out = layout.header() + "\n\n"
        for (label, s) in zip(labels, scores) { out += layout.row(label, s) + "\n" }
        out += "\n"
        out += layout.row("micro avg", micro) + "\n"
        out += layout.row("macro avg", macro) + "\n"
        out += layout.row("weighted avg", weighted) + "\n"
        out += layout.row("samples avg", samples) + "\n"
        return out
    }
}
