import ArgumentParser
import FinchSupport
import FinchTrain
import Foundation

/// `finch audit`: fairness audits.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fairness audits: a classifier's metrics per group and the gaps between groups.",
        subcommands: [AuditClassify.self])
}

/// `finch audit classify`.
struct AuditClassify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Audit a fine-tuned classifier's predictions by group, as Fairlearn's MetricFrame does.",
        discussion: """
            Classifies every text of --data and reports, overall and for each value of \
            --group-column: accuracy, precision, recall, selection rate, false positive and false \
            negative rates (a rate with nothing to divide by is 0, as in scikit-learn and \
            Fairlearn); then the demographic parity difference and ratio and the equalized odds \
            difference between groups. The numbers equal Fairlearn's on the same predictions. \
            Prints a table, or with --json one JSON object; --out also writes the JSON to a file.
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "Labelled data file (CSV, TSV or JSONL) with a group column.") var data: String
    @Option(name: .customLong("group-column"), help: "Column holding each example's group (the sensitive feature).")
    var groupColumn: String
    @Option(name: .customLong("positive-label"), help: "The positive class (default: the second label of a two-label model).")
    var positiveLabel: String?
    @Option(name: .customLong("text-column"), help: "Text column (default: the one used in training).") var textColumn: String?
    @Option(name: .customLong("label-column"), help: "Label column (default: the one used in training).") var labelColumn: String?
    @Option(help: "Also write the JSON result to this file.") var out: String?
    @OptionGroup var output: JSONOutputOption

    func run() throws {
        let directory = try model.resolve()
        let loaded = try FineTunedModel.load(directory)
        var columns: ClassificationColumns? = nil
        if textColumn != nil || labelColumn != nil {
            columns = ClassificationColumns(text: textColumn ?? "text", label: labelColumn ?? "label")
        }
        let audit = try ClassifierAudit.run(
            model: loaded, modelPath: model.model, file: URL(fileURLWithPath: data), columns: columns, groupColumn: groupColumn,
            positiveLabel: positiveLabel)
        if let out { try AtomicFile.write(Data((try audit.json() + "\n").utf8), to: URL(fileURLWithPath: out)) }
        try StandardOutput.line(output.json ? try audit.json() : audit.report)
    }
}
