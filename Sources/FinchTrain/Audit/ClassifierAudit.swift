import FinchSupport
import Foundation

/// Why a classifier audit could not run.
public enum AuditError: Error, Equatable, CustomStringConvertible {
    /// The positive label is not one of the model's labels.
    case unknownPositiveLabel(label: String, known: [String])
    /// The model has more than two labels and no positive label was given.
    case positiveLabelNeeded(known: [String])
    /// The model is not a single-label classifier.
    case notASingleLabelClassifier(path: String)

    public var description: String {
        switch self {
        case .unknownPositiveLabel(let label, let known):
            return "positive label `\(label)` is not one of the model's labels (\(known.joined(separator: ", ")))"
        case .positiveLabelNeeded(let known):
            return "the model has \(known.count) labels (\(known.joined(separator: ", "))); name the positive one with --positive-label"
        case .notASingleLabelClassifier(let path):
            return "\(path): a fairness audit needs a single-label classifier"
        }
    }
}

/// The work behind `finch audit classify`: reads a labelled file with a
/// group column, classifies its texts with a fine-tuned model and audits the
/// predictions by group.
public enum ClassifierAudit {
    /// Audits `model` on `file`.
    ///
    /// - Parameters:
    ///   - columns: text, text-pair and label columns (the model's training columns when nil).
    ///   - groupColumn: the column holding each example's group (the sensitive feature).
    ///   - positiveLabel: the positive class; for a two-label model the second label when nil.
    /// - Throws: `DataError` naming the file, line and field of a bad record; `AuditError`.
    public static func run(
        model: FineTunedModel, modelPath: String, file: URL, columns: ClassificationColumns?, groupColumn: String, positiveLabel: String?
    ) throws -> FairnessAudit {
        guard case .classifier(let task) = model, !task.isMultiLabel else { throw AuditError.notASingleLabelClassifier(path: modelPath) }
        let known = task.labels.labels
        let positive: String
        if let positiveLabel {
            guard known.contains(positiveLabel) else { throw AuditError.unknownPositiveLabel(label: positiveLabel, known: known) }
            positive = positiveLabel
        } else {
            guard known.count == 2 else { throw AuditError.positiveLabelNeeded(known: known) }
            positive = known[1]
        }
        let c =
            columns
            ?? ClassificationColumns(
                text: task.metadata.textColumn ?? "text", textPair: task.metadata.textPairColumn,
                label: task.metadata.labelColumn ?? "label")
        let examples = try ClassificationReader(columns: c).read(file)
        // The group column read as if it were the label: same file order, same checks (present, not empty).
        let grouped = try ClassificationReader(columns: ClassificationColumns(text: c.text, textPair: c.textPair, label: groupColumn)).read(
            file)
        let predictions = try model.classify(examples.map { ($0.text, $0.textPair) }).map(\.label)
        return FairnessAudit(
            labels: examples.map(\.label), predictions: predictions, groups: grouped.map(\.label), positiveLabel: positive,
            sensitiveFeature: groupColumn)
    }
}
