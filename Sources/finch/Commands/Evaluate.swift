import ArgumentParser
import FinchTrain
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a fine-tuned classifier or tagger, or an image classifier, on labelled data.",
        discussion: """
            Classifiers read CSV/TSV/JSONL (the columns used in training by default) and print \
            scikit-learn's classification report; taggers read CoNLL/BIO and print seqeval's \
            entity-level report. Image classifiers (finch train image) read a folder per class or a \
            CSV list path,label and print the same classification report. With --json, one JSON \
            object instead.
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "Labelled data file.") var data: String
    @OptionGroup var output: JSONOutputOption
    @Option(name: .customLong("text-column"), help: "Text column (classifiers).") var textColumn: String?
    @Option(name: .customLong("text-pair-column"), help: "Second text column (classifiers).") var textPairColumn: String?
    @Option(name: .customLong("label-column"), help: "Label column (classifiers).") var labelColumn: String?

    func run() throws {
        let directory = try model.resolve()
        var columns: ClassificationColumns? = nil
        if textColumn != nil || labelColumn != nil || textPairColumn != nil {
            columns = ClassificationColumns(text: textColumn ?? "text", textPair: textPairColumn, label: labelColumn ?? "label")
        }
        if ImageClassifierConfig.isImageClassifier(at: directory) {
            let result = try ImageClassifier.load(directory).evaluate(data: data)
            try StandardOutput.line(output.json ? result.json : result.report)
            return
        }
        if ClassicalClassifier.isClassifier(at: directory) {
            let result = try ClassicalClassifier.load(directory).evaluate(file: URL(fileURLWithPath: data), columns: columns)
            try StandardOutput.line(output.json ? result.json : result.report)
            return
        }
        let loaded = try FineTunedModel.load(directory)
        let result = try loaded.evaluate(file: URL(fileURLWithPath: data), columns: columns)
        try StandardOutput.line(output.json ? result.json : result.report)
    }
}
