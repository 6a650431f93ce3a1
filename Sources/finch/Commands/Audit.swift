import ArgumentParser
import FinchApps
import FinchSupport
import FinchTrain
import Foundation

/// `finch audit`: fairness audits.
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fairness audits: a classifier's metrics per group and the gaps between groups.",
        discussion: "Recommenders are audited with `finch recommend audit`.",
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
            Works on fine-tuned and classical (--head) classifiers. With --bands (e.g. 30,45,60) the \
            group column holds numbers, such as ages, put into the bands <30, 30-44, 45-59, 60+. \
            Prints a table, or with --json one JSON object. The JSON is also written into the model \
            folder as fairness_audit.json and the model card (README.md) is written again with the \
            per-group table; with --out it goes to that file instead and the folder is left alone.
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "Labelled data file (CSV, TSV or JSONL) with a group column.") var data: String
    @Option(name: .customLong("group-column"), help: "Column holding each example's group (the sensitive feature).")
    var groupColumn: String
    @Option(name: .customLong("positive-label"), help: "The positive class (default: the second label of a two-label model).")
    var positiveLabel: String?
    @Option(name: .customLong("text-column"), help: "Text column (default: the one used in training).") var textColumn: String?
    @Option(name: .customLong("label-column"), help: "Label column (default: the one used in training).") var labelColumn: String?
    @Option(help: "Bands for a numeric group column, as increasing whole-number edges: 30,45,60.") var bands: String?
    @Option(help: "Write the JSON result to this file instead of the model folder's fairness_audit.json.") var out: String?
    @OptionGroup var output: JSONOutputOption

    func run() throws {
        let directory = try model.resolve()
        var columns: ClassificationColumns? = nil
        if textColumn != nil || labelColumn != nil {
            columns = ClassificationColumns(text: textColumn ?? "text", label: labelColumn ?? "label")
        }
        let groupBands = try bands.map(GroupBands.init(parsing:))
        let file = URL(fileURLWithPath: data)
        let audit: FairnessAudit
        if ClassicalClassifier.isClassifier(at: directory) {
            audit = try ClassifierAudit.run(
                classical: try ClassicalClassifier.load(directory), file: file, columns: columns, groupColumn: groupColumn,
                positiveLabel: positiveLabel, bands: groupBands)
        } else {
            audit = try ClassifierAudit.run(
                model: try FineTunedModel.load(directory), modelPath: model.model, file: file, columns: columns, groupColumn: groupColumn,
                positiveLabel: positiveLabel, bands: groupBands)
        }
        let json = Data((try audit.json() + "\n").utf8)
        if let out {
            try AtomicFile.write(json, to: URL(fileURLWithPath: out))
        } else {
            try AtomicFile.write(json, to: directory.appendingPathComponent(FairnessAudit.fileName))
            let outcome = try ModelCardWriter.write(folder: directory, finchVersion: FinchVersion.string)
            ProgressBar.write("audit written to \(directory.appendingPathComponent(FairnessAudit.fileName).path); model card updated\n")
            for line in Card.notes(outcome) { ProgressBar.write(line + "\n") }
        }
        try StandardOutput.line(output.json ? try audit.json() : audit.report)
    }
}
