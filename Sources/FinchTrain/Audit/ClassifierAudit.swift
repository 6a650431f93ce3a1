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
/// group column, classifies its texts with a fine-tuned or classical model
/// and audits the predictions by group.
public enum ClassifierAudit {
    /// Audits the fine-tuned `model` on `file`.
    ///
    /// - Parameters:
    ///   - columns: text, text-pair and label columns (the model's training columns when nil).
    ///   - groupColumn: the column holding each example's group (the sensitive feature).
    ///   - positiveLabel: the positive class; for a two-label model the second label when nil.
    ///   - bands: when given, the group column holds numbers (an age) put into these bands.
    /// - Throws: `DataError` naming the file, line and field of a bad record; `AuditError`; `GroupBandsError`.
    public static func run(
        model: FineTunedModel, modelPath: String, file: URL, columns: ClassificationColumns?, groupColumn: String, positiveLabel: String?,
        bands: GroupBands? = nil
    ) throws -> FairnessAudit {
        guard case .classifier(let task) = model, !task.isMultiLabel else { throw AuditError.notASingleLabelClassifier(path: modelPath) }
        let c =
            columns
            ?? ClassificationColumns(
                text: task.metadata.textColumn ?? "text", textPair: task.metadata.textPairColumn,
                label: task.metadata.labelColumn ?? "label")
        return try audit(
            known: task.labels.labels, columns: c, file: file, groupColumn: groupColumn, positiveLabel: positiveLabel, bands: bands
        ) { examples in try model.classify(examples.map { ($0.text, $0.textPair) }).map(\.label) }
    }

    /// Audits the classical classifier `model` (`finch train classify --head`) on `file`; parameters as for a fine-tuned model.
    public static func run(
        classical model: ClassicalClassifier, file: URL, columns: ClassificationColumns?, groupColumn: String, positiveLabel: String?,
        bands: GroupBands? = nil
    ) throws -> FairnessAudit {
        let c = columns ?? ClassificationColumns(text: model.stored.textColumn, label: model.stored.labelColumn)
        return try audit(
            known: model.stored.labels, columns: c, file: file, groupColumn: groupColumn, positiveLabel: positiveLabel, bands: bands
        ) { examples in try model.classify(examples.map(\.text)).map(\.label) }
    }

    /// The shared flow: check the positive label, read labels and groups, classify, audit.
    static func audit(
        known: [String], columns c: ClassificationColumns, file: URL, groupColumn: String, positiveLabel: String?, bands: GroupBands?,
        classify: ([ClassificationExample]) throws -> [String]
    ) throws -> FairnessAudit {
        let positive: String
        if let positiveLabel {
            guard known.contains(positiveLabel) else { throw AuditError.unknownPositiveLabel(label: positiveLabel, known: known) }
            positive = positiveLabel
        } else {
            guard known.count == 2 else { throw AuditError.positiveLabelNeeded(known: known) }
            positive = known[1]
        }
        let examples = try ClassificationReader(columns: c).read(file)
        // The group column read as if it were the label: same file order, same checks (present, not empty).
        let grouped = try ClassificationReader(columns: ClassificationColumns(text: c.text, textPair: c.textPair, label: groupColumn)).read(
            file)
        var groups = grouped.map(\.label)
        if let bands { groups = try bands.apply(groups, file: file.relativePath, column: groupColumn) }
        let predictions = try classify(examples)
        return FairnessAudit(
            labels: examples.map(\.label), predictions: predictions, groups: groups, positiveLabel: positive,
            sensitiveFeature: groupColumn)
    }
}
