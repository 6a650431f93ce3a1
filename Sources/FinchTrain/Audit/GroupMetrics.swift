/// A classifier's metrics on one group (or on everyone), with one label
/// taken as the positive class, defined as Fairlearn and scikit-learn define them:
/// a rate whose denominator is zero is 0 (scikit-learn's `zero_division=0`
/// for precision and recall, `confusion_matrix(normalize="true")` then
/// `nan_to_num` for Fairlearn's false positive and false negative rates).
public struct GroupMetrics: Sendable, Equatable, Codable {
    /// The group's value of the sensitive feature (`"overall"` for everyone).
    public var group: String
    /// Examples in the group.
    public var count: Int
    /// Share of predictions equal to the true label (all labels, not only the positive one).
    public var accuracy: Double
    /// TP / (TP + FP).
    public var precision: Double
    /// TP / (TP + FN) (the true positive rate).
    public var recall: Double
    /// Share predicted positive.
    public var selectionRate: Double
    /// FP / (FP + TN).
    public var falsePositiveRate: Double
    /// FN / (FN + TP).
    public var falseNegativeRate: Double

    enum CodingKeys: String, CodingKey {
        case group, count, accuracy, precision, recall
        case selectionRate = "selection_rate"
        case falsePositiveRate = "false_positive_rate"
        case falseNegativeRate = "false_negative_rate"
    }

    /// The metrics of paired true labels and predictions.
    public init(group: String, labels: [String], predictions: [String], positiveLabel: String) {
        var tp = 0, fp = 0, tn = 0, fn = 0, correct = 0
        for (truth, predicted) in zip(labels, predictions) {
            if truth == predicted { correct += 1 }
            switch (truth == positiveLabel, predicted == positiveLabel) {
            case (true, true): tp += 1
            case (false, true): fp += 1
            case (false, false): tn += 1
            case (true, false): fn += 1
            }
        }
        func rate(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        self.group = group
        self.count = labels.count
        self.accuracy = rate(correct, labels.count)
        self.precision = rate(tp, tp + fp)
        self.recall = rate(tp, tp + fn)
        self.selectionRate = rate(tp + fp, labels.count)
        self.falsePositiveRate = rate(fp, fp + tn)
        self.falseNegativeRate = rate(fn, fn + tp)
    }
}
