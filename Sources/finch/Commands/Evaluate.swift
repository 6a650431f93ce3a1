import ArgumentParser
import FinchTrain
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a fine-tuned classifier or tagger on labelled data.",
        discussion: """
            Classifiers read CSV/TSV/JSONL (the columns used in training by default) and print \
            scikit-learn's classification report; taggers read CoNLL/BIO and print seqeval's \
            entity-level report. With --json, one JSON object instead.
            """)

    @Option(help: "Fine-tuned model directory.") var model: String
    @Option(help: "Labelled data file.") var data: String
    @Flag(help: "Print one JSON object instead of the report.") var json = false
    @Option(name: .customLong("text-column"), help: "Text column (classifiers).") var textColumn: String?
    @Option(name: .customLong("text-pair-column"), help: "Second text column (classifiers).") var textPairColumn: String?
    @Option(name: .customLong("label-column"), help: "Label column (classifiers).") var labelColumn: String?

    func run() throws {
        let loaded = try FineTunedModel.load(try ModelLocation.resolve(model))
        var columns: ClassificationColumns? = nil
        if textColumn != nil || labelColumn != nil || textPairColumn != nil {
            columns = ClassificationColumns(text: textColumn ?? "text", textPair: textPairColumn, label: labelColumn ?? "label")
        }
        let result = try loaded.evaluate(file: URL(fileURLWithPath: data), columns: columns)
        print(json ? result.json : result.report)
    }
}
