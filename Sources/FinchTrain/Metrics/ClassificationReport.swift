/// Per-label precision, recall, F1 and support for single-label
/// classification, with accuracy and the macro and weighted averages — the
/// numbers and the text of scikit-learn's `classification_report`
/// (`sklearn.metrics`, checked against 1.9.1 by the fixture tests).
///
/// Definitions (for label L): tp = examples with truth L predicted L; precision
/// = tp / predicted L; recall = tp / true L; F1 = 2·tp / (true L + predicted L);
/// support = true L. A zero denominator gives `zeroDivision` (default 0.0,
/// scikit-learn's `"warn"` without the warning). Macro = unweighted mean over
/// the labels, weighted = mean weighted by support, both summed in NumPy's
/// pairwise order so even the last bit matches. The `accuracy` row is the
/// micro-averaged F1, which is accuracy when the report covers every label
/// seen; with `labels` leaving some out it is printed as `micro avg`.
/// Even scikit-learn's quirk is kept: when no example is right, supports
/// print as floats (`2.0`).
public struct ClassificationReport: Sendable {
    /// The report's labels in row order: `labels` as given, or the sorted
    /// union of true and predicted labels (code-point order, like NumPy's
    /// `unique` on strings).
    public let labels: [String]
    /// Scores per label, aligned with `labels`.
    public let scores: [LabelScores]
    /// Micro average (the `accuracy` or `micro avg` row; its precision and
    /// recall are not printed on the `accuracy` row).
    public let micro: LabelScores
    /// Unweighted mean over labels.
    public let macro: LabelScores
    /// Support-weighted mean over labels.
    public let weighted: LabelScores
    /// True when the micro row is accuracy, printed as `accuracy`.
    public let microIsAccuracy: Bool
    /// Fraction of examples whose prediction equals the truth, over all
    /// examples (`accuracy_score`).
    public let accuracy: Double
    /// Number of examples.
    public let count: Int
    /// scikit-learn quirk: when no example is predicted correctly its
    /// confusion counts are floats, so supports print as `2.0`.
    let supportPrintsAsFloat: Bool

    /// Scores `predicted` against `truth` (same length, at least one).
    ///
    /// - Parameters:
    ///   - labels: rows to report, in order; nil for every label that occurs.
    ///     Labels given but absent get zero support (and `zeroDivision` scores).
    ///   - zeroDivision: value of a score whose denominator is zero.
    public init(truth: [String], predicted: [String], labels: [String]? = nil, zeroDivision: ZeroDivision = .zero) {
        precondition(truth.count == predicted.count, "\(truth.count) true labels but \(predicted.count) predictions")
        precondition(!truth.isEmpty, "a classification report needs at least one example")
        let present = Set(truth).union(predicted)
        let rows = labels ?? present.sorted(by: precedesInCodePointOrder)
        var index: [String: Int] = [:]
        for (i, label) in rows.enumerated() {
            precondition(index.updateValue(i, forKey: label) == nil, "label '\(label)' is listed twice")
        }
        var tp = [Int](repeating: 0, count: rows.count)
        var predictedCount = tp, actual = tp
        var correct = 0
        for (t, p) in zip(truth, predicted) {
            let ti = index[t], pi = index[p]
            if let ti { actual[ti] += 1 }
            if let pi { predictedCount[pi] += 1 }
            if t == p {
                correct += 1
                if let ti { tp[ti] += 1 }
            }
        }
        let result = SklearnScores.report(tp: tp, predicted: predictedCount, actual: actual, zeroDivision)
        self.labels = rows
        self.scores = result.perLabel
        self.micro = result.micro
        self.macro = result.macro
        self.weighted = result.weighted
        self.microIsAccuracy = labels == nil || present.isSubset(of: rows)
        self.accuracy = Double(correct) / Double(truth.count)
        self.count = truth.count
        self.supportPrintsAsFloat = correct == 0
    }

    /// Scores of `label`, or nil when it is not a row.
    public subscript(label: String) -> LabelScores? {
        labels.firstIndex(of: label).map { scores[$0] }
    }

    /// The report as scikit-learn prints it, byte for byte:
    ///
    /// ```
    ///               precision    recall  f1-score   support
    ///
    ///        fresh       0.83      0.90      0.86       662
    ///     ...
    ///     accuracy                           0.81      1243
    ///    macro avg       0.76      0.71      0.73      1243
    /// weighted avg       0.80      0.81      0.80      1243
    /// ```
    ///
    /// - Parameter digits: decimals of the scores (scikit-learn's `digits`).
    public func text(digits: Int = 2) -> String {
        let layout = ReportLayout(names: labels, digits: digits, supportPrintsAsFloat: supportPrintsAsFloat)
        var out = layout.header() + "\n\n"
        for (label, s) in zip(labels, scores) { out += layout.row(label, s) + "\n" }
        out += "\n"
        if microIsAccuracy {
            out += layout.accuracyRow("accuracy", f1: micro.f1, support: micro.support) + "\n"
        } else {
            out += layout.row("micro avg", micro) + "\n"
        }
        out += layout.row("macro avg", macro) + "\n"
        out += layout.row("weighted avg", weighted) + "\n"
        return out
    }

    /// The object `finch evaluate --json` prints for classification.
    public var evaluation: ClassificationEvaluation {
        ClassificationEvaluation(
            accuracy: accuracy, macroF1: macro.f1, weightedF1: weighted.f1,
            labels: Dictionary(uniqueKeysWithValues: zip(labels, scores).map { ($0, $1) }))
    }
}

/// The fixed-width layout shared by scikit-learn's and seqeval's reports:
/// a name column `max(longest name, len("weighted avg"), digits)` code points
/// wide, then four columns of 9, each preceded by a space.
struct ReportLayout {
    let width: Int
    let digits: Int
    let supportPrintsAsFloat: Bool

    init(names: [String], digits: Int, supportPrintsAsFloat: Bool = false) {
        precondition(digits >= 0, "digits must not be negative")
        let longest = names.map(\.unicodeScalars.count).max() ?? 0
        width = max(longest, "weighted avg".count, digits)
        self.digits = digits
        self.supportPrintsAsFloat = supportPrintsAsFloat
    }

    /// `str(support)`: an int, or a float such as `2.0`.
    func support(_ n: Int) -> String { supportPrintsAsFloat ? "\(n).0" : String(n) }

    /// `"{:>{width}s} " + " {:>9}" * 4` with the four headers.
    func header() -> String {
        PythonFormat.right("", width) + " "
            + ["precision", "recall", "f1-score", "support"].map { " " + PythonFormat.right($0, 9) }.joined()
    }

    /// `"{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}"`.
    func row(_ name: String, _ s: LabelScores) -> String {
        PythonFormat.right(name, width) + " "
            + [s.precision, s.recall, s.f1].map { " " + PythonFormat.right(PythonFormat.fixed($0, digits: digits), 9) }
            .joined()
            + " " + PythonFormat.right(support(s.support), 9)
    }

    /// scikit-learn's accuracy row: two blank columns, then F1 and support.
    func accuracyRow(_ name: String, f1: Double, support: Int) -> String {
        PythonFormat.right(name, width) + " " + " " + PythonFormat.right("", 9) + " " + PythonFormat.right("", 9)
            + " " + PythonFormat.right(PythonFormat.fixed(f1, digits: digits), 9)
            + " " + PythonFormat.right(self.support(support), 9)
    }
}
